from rectification.feedback import urls as feedback_urls
from rectification.ledger import urls as ledger_urls
from rectification.opinions import urls as opinion_urls
from rectification.publication import urls as publication_urls

app_name = "rectification"

urlpatterns = (
    opinion_urls.urlpatterns
    + ledger_urls.urlpatterns
    + publication_urls.urlpatterns
    + feedback_urls.urlpatterns
)
