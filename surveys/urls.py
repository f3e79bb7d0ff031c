from surveys.answers import urls as answers_urls
from surveys.findings import urls as findings_urls
from surveys.questionnaires import urls as questionnaire_urls
from surveys.reports import urls as report_urls

app_name = "surveys"

urlpatterns = (
    findings_urls.urlpatterns
    + questionnaire_urls.urlpatterns
    + answers_urls.urlpatterns
    + report_urls.urlpatterns
)
