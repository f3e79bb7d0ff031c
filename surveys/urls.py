from surveys.answers import urls as answers_urls
from surveys.findings import urls as findings_urls
from surveys.questionnaires import urls as questionnaire_urls

app_name = "surveys"

urlpatterns = findings_urls.urlpatterns + questionnaire_urls.urlpatterns + answers_urls.urlpatterns
