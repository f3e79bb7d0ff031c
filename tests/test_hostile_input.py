"""Hostile input on every route: a NUL byte, 2^63, non-ASCII digits and 100 kB strings
in every URL parameter and in every field of every form a page shows, as the office, a
unit's liaison and an anonymous visitor. Never a server error, never a half-write.

The routes come from the URLconf itself, so a new route without a valid example below
fails ``test_every_route_has_an_example`` instead of going unprobed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from appraisal.scoring import services as scoring
from appraisal.signin import services as signin
from surveys.findings import services as findings
from surveys.models import Answer, Finding, SurveyCode
from surveys.questionnaires import services as questionnaires
from tests.appraisal.conftest import make_round
from tests.portal.probe import examples as portal_examples
from tests.rectification.ledger_probe import examples as issue12_examples
from tests.rectification.probe import examples as issue11_examples
from tests.schedule.probe import examples as schedule_examples

pytestmark = pytest.mark.django_db(transaction=False)

NUL = "a\x00b"
TOO_BIG = str(2**63)
# -1 and 0 as ids and numbers; a CJK Extension B character, a right-to-left override, an
# emoji and control characters as text (fonts, PostgreSQL and Excel each refuse some).
HOSTILE = [NUL, TOO_BIG, "²", "٣", "AB/CD", "-1", "0", "\U00020000\u202e😀\x01\x1b", "x" * 100_000]
# Values no field of any kind may accept. The others are fine as free text, and "٣" is a
# decimal digit (Unicode Nd) that Django's number fields read as 3, as they read an input
# method's full-width "３": a number field may store it, as that number. So may it store 0.
NEVER_VALID = {NUL, HOSTILE[-1]}
NUMBER_LIKE = {"٣", "0"}
FREE_TEXT_TYPES = {"text", "textarea", "search", "email", "tel", "url", "password", ""}
SKIPPED_NAMESPACES = {"admin"}


# ---- the routes ---------------------------------------------------------------------------


@dataclass
class Route:
    name: str
    route: str  # e.g. "office/rounds/<id:pk>/codes/<id:group_pk>.pdf"

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)

    def path(self, values: dict[str, str]) -> str:
        def sub(m: re.Match[str]) -> str:
            return quote(values[m.group(1)], safe="")

        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", sub, self.route)


def routes(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield Route(f"{ns}{entry.name}", prefix + str(entry.pattern))


# ---- a campaign with something behind every route -----------------------------------------


@dataclass
class Probe:
    examples: dict[str, dict[str, str]] = field(default_factory=dict)


@pytest.fixture
def probe(world) -> Probe:
    sw = make_round(world)
    scoring.round_open(round=sw.round, actor=world.office)
    scoring.codes_generate(round=sw.round, voter_group=sw.committee, count=2, actor=world.office)
    code = sw.round.codes.filter(used=False).first().code  # type: ignore[attr-defined]

    activity = findings.activity_record(
        appraisal=world.appraisal_a, actor=world.leader, kind="symposium", held_on="2026-05-01",
        place="会议室", participants="", summary="座谈",
        attachments=[SimpleUploadedFile("纪要.pdf", b"%PDF-1.7\n%%EOF\n")],
    )  # fmt: skip
    finding = findings.finding_record(
        appraisal=world.appraisal_a, actor=world.leader, text="窗口排队时间过长", topic="other"
    )
    findings.finding_review(
        finding=finding, actor=world.leader, status=Finding.Status.VERIFIED, note="属实",
        topic="other", prominent=False,
    )  # fmt: skip
    findings.finding_forward(finding=finding, actor=world.leader)

    survey = questionnaires.survey_save(
        campaign=world.campaign, appraisal=world.appraisal_a, actor=world.leader, title="满意度调查",
        intro="", audience="public", access="link", opens_on=None, closes_on=None,
    )  # fmt: skip
    for kind, options, limit in [
        ("single", "是\n否", None), ("multiple", "甲\n乙\n丙", 2), ("satisfaction", "", None),
        ("rating", "", None), ("text", "", None),
    ]:  # fmt: skip
        questionnaires.question_save(
            survey=survey, actor=world.leader, kind=kind, text=f"{kind}题", required=True,
            options=options, max_choices=limit,
        )  # fmt: skip
    questionnaires.survey_set_state(survey=survey, actor=world.leader, state="open")
    questionnaires.response_submit(
        survey=survey,
        answers={
            q.pk: ("意见" if q.kind == "text" else [q.option_list()[0]])
            for q in survey.questions.all()
        },
        address="10.0.0.1",
    )
    assert Answer.objects.exclude(text="").exists()
    coded = questionnaires.survey_copy(survey=survey, actor=world.leader)
    questionnaires.survey_save(
        campaign=world.campaign, appraisal=world.appraisal_a, actor=world.leader, survey=coded,
        title="代码问卷", intro="", audience="public", access="codes", opens_on=None, closes_on=None,
    )  # fmt: skip
    questionnaires.survey_set_state(survey=coded, actor=world.leader, state="open")
    questionnaires.survey_codes_generate(survey=coded, actor=world.leader, count=1)
    assert SurveyCode.objects.filter(survey=coded).exists()

    a, c, r = str(world.appraisal_a.pk), str(world.campaign.pk), str(sw.round.pk)
    letter = signin.letters_issue(users=[world.deputy], actor=world.office)[0]
    return Probe(
        {
            "appraisal:office_campaign": {"campaign_pk": c},
            "appraisal:campaign_advance": {"campaign_pk": c},
            "appraisal:roster_upload": {"campaign_pk": c},
            "appraisal:issuing_settings": {"campaign_pk": c},
            "appraisal:detail": {"pk": a},
            "appraisal:rounds": {"campaign_pk": c},
            "appraisal:round_create": {"campaign_pk": c},
            "appraisal:round_detail": {"pk": r},
            "appraisal:round_edit": {"pk": r},
            "appraisal:round_transition": {"pk": r, "to": "closed"},
            "appraisal:round_codes": {"pk": r},
            "appraisal:round_codes_pdf": {"pk": r, "group_pk": str(sw.committee.pk)},
            "appraisal:round_tally": {"pk": r},
            "appraisal:round_paper_recount": {"pk": r},
            "appraisal:round_tally_group": {"pk": r, "group_pk": str(sw.committee.pk)},
            "appraisal:round_screen": {"pk": r},
            "appraisal:ballot": {"pk": r},
            "appraisal:code_ballot": {"code": code},
            "appraisal:results": {"pk": r},
            "appraisal:results_xlsx": {"pk": r},
            "appraisal:results_pdf": {"pk": r},
            "appraisal:signin_letters": {"campaign_pk": c},
            "appraisal:signin_letter": {"token": letter.token},
            "surveys:activity_edit": {"pk": str(activity.pk)},
            "surveys:question_edit": {
                "pk": str(coded.pk),
                "question_pk": str(coded.questions.first().pk),  # type: ignore[union-attr]
            },
            "surveys:activities": {"pk": a},
            "surveys:findings": {"pk": a},
            "surveys:finding": {"pk": str(finding.pk)},
            "surveys:attachment": {"pk": str(activity.attachments.get().pk)},  # type: ignore[attr-defined]
            "surveys:finding_forward": {"pk": str(finding.pk)},
            "surveys:survey_list": {"pk": a},
            "surveys:campaign_surveys": {"campaign_pk": c},
            "surveys:survey": {"pk": str(coded.pk)},  # no answers yet: its questions can move
            "surveys:survey_preview": {"pk": str(survey.pk)},
            "surveys:survey_share": {"pk": str(survey.pk)},
            "surveys:survey_results": {"pk": str(survey.pk)},
            "surveys:survey_xlsx": {"pk": str(survey.pk)},
            "surveys:survey_pdf": {"pk": str(survey.pk)},
            "surveys:answer": {"token": survey.token},
            **issue11_examples(world),
            **issue12_examples(world),
            **portal_examples(world),
            **schedule_examples(world),
        }
    )


# ---- pages: their forms and links ---------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    defaults: list[tuple[str, str]]
    fields: dict[str, str]  # name -> kind ("text", "select", "hidden", "checkbox", ...)


class FormParser(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""
        self._button_taken = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "?" in a.get("href", ""):
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action") or self.path, [], {})
            self._button_taken = False
            return
        if tag == "option" and self._form is not None and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._select_chosen:
                self._select_chosen = True
                self._form.defaults.append((self._select, value))
            return
        form, name = self._form, a.get("name")
        if form is None or not name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                return
            if kind in ("submit", "button", "image"):
                if not self._button_taken:
                    self._button_taken = True
                    form.defaults.append((name, a.get("value", "")))
                form.fields.setdefault(name, "submit")
                return
            form.fields.setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.defaults.append((name, a.get("value", "on")))
            else:
                form.defaults.append((name, a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit":
            if not self._button_taken:
                self._button_taken = True
                form.defaults.append((name, a.get("value", "")))
            form.fields.setdefault(name, "submit")
        elif tag == "select":
            form.fields[name] = "select"
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "textarea":
            form.fields[name] = "textarea"
            self._textarea, self._text = name, ""

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "textarea" and self._form is not None and self._textarea is not None:
            self._form.defaults.append((self._textarea, self._text.strip("\n")))
            self._textarea = None
        elif tag == "select" and self._form is not None and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.defaults.append((self._select, self._select_first))
            self._select = None


def parse(html: str, path: str) -> FormParser:
    parser = FormParser(path)
    parser.feed(html)
    return parser


# ---- the probe ----------------------------------------------------------------------------

# The public limits' counters are not data: a receipt lookup (a GET) counts against its
# address's hourly limit, whatever the code, by design.
COUNTED = [
    m for m in apps.get_models() if m is not Session and m.__name__ != "PublicSubmissionThrottle"
]


def row_counts() -> tuple[int, ...]:
    tables = [connection.ops.quote_name(m._meta.db_table) for m in COUNTED]
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)

    def send(self, client: Client, who: str, method: str, path: str, data, strict: bool) -> None:
        before = row_counts() if strict else None
        payload: dict[str, list[str]] = {}
        for k, v in data:
            payload.setdefault(k, []).append(v)
        try:
            response = getattr(client, method)(path, payload)
        except Exception as e:  # a server error, reported with the request that caused it
            self.problems.append(f"{who} {method.upper()} {path[:120]} {_short(data)}: {e!r:.200}")
            return
        if response.status_code >= 500:
            self.problems.append(
                f"{who} {method.upper()} {path[:120]} {_short(data)}: {response.status_code}"
            )
        elif before is not None and row_counts() != before:
            self.problems.append(f"{who} {method.upper()} {path[:120]} {_short(data)}: wrote rows")


def _short(data) -> str:
    name, value = data[-1]
    return f"{name}={value[:12]!r}" + (f" (+{len(data) - 1} defaults)" if len(data) > 1 else "")


def test_every_route_has_an_example(probe):
    missing = [r.name for r in routes() if r.params and r.name not in probe.examples]
    assert not missing, f"add a valid example for these routes: {missing}"


def test_hostile_url_parameters_get_a_4xx(probe, world, client):
    problems = []
    client.force_login(world.office, backend="django.contrib.auth.backends.ModelBackend")
    for route in routes():
        if not route.params:
            continue
        valid = probe.examples[route.name]
        for param in route.params:
            for value in HOSTILE:
                path = route.path({**valid, param: value})
                before = row_counts()
                for method in ("get", "post"):
                    response = getattr(client, method)(path)
                    if not 400 <= response.status_code < 500:
                        problems.append(f"{method} {path[:100]}: {response.status_code}")
                if row_counts() != before:
                    problems.append(f"{path[:100]}: wrote rows")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("who", ["office", "liaison_a", "anonymous"])
def test_hostile_form_fields_and_query_parameters_never_fail_or_half_write(
    probe, world, client, who
):
    if who != "anonymous":
        client.force_login(getattr(world, who), backend="django.contrib.auth.backends.ModelBackend")
    outcome = Outcome()
    pages = 0
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for route in routes():
        if route.name.endswith(("_pdf", "_xlsx")) or route.name == "logout":
            continue
        if route.params and route.name not in probe.examples:
            continue
        path = route.path(probe.examples.get(route.name, {}))
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        page = parse(response.content.decode(), path)
        for form in page.forms:
            signature = (form.action, tuple(sorted(form.fields)))
            if form.action == reverse("logout") or signature in seen:
                continue
            seen.add(signature)
            for name, kind in form.fields.items():
                if name == "csrfmiddlewaretoken":
                    continue
                for value in HOSTILE:
                    data = [(k, v) for k, v in form.defaults if k != name] + [(name, value)]
                    # A submit button's value is never read, only its presence.
                    strict = kind != "submit" and (
                        value in NEVER_VALID
                        or (value not in NUMBER_LIKE and kind not in FREE_TEXT_TYPES | {"checkbox"})
                    )
                    if form.method == "get":
                        outcome.send(client, who, "get", form.action, data, strict=True)
                    else:
                        outcome.send(client, who, "post", form.action, data, strict=strict)
        for link in page.links:
            target = urlsplit(link)
            query = parse_qsl(target.query, keep_blank_values=True)
            for name, _value in query:
                for value in HOSTILE:
                    data = [(k, v) for k, v in query if k != name] + [(name, value)]
                    outcome.send(client, who, "get", target.path or path, data, strict=True)
    assert pages >= (25 if who == "office" else 3 if who == "liaison_a" else 5)
    assert not outcome.problems, "\n".join(outcome.problems)


def test_the_admin_takes_hostile_searches_and_ids_without_a_server_error(world, client):
    from django.contrib import admin

    client.force_login(world.office, backend="django.contrib.auth.backends.ModelBackend")
    problems = []
    before = row_counts()
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = reverse(f"{info}_changelist")
        for value in HOSTILE:
            for params in ({"q": value}, {"p": value}, {"o": value}, {"id__exact": value}):
                status = client.get(changelist, params).status_code
                if status >= 500:
                    problems.append(f"{changelist} {list(params)}={value[:12]!r}: {status}")
            for view in ("change", "delete", "history"):
                path = reverse(f"{info}_{view}", args=["1"]).replace("/1/", f"/{quote(value)}/")
                status = client.get(path).status_code
                if status >= 500:
                    problems.append(f"{path[:80]}: {status}")
    assert row_counts() == before
    assert not problems, "\n".join(problems)


def test_a_nul_or_an_overlong_address_is_refused_before_any_view(world, client):
    assert client.get("/v/AB%00CD/").status_code == 400
    assert client.get("/opinion/status/", {"code": NUL}).status_code == 400
    assert client.post("/opinion/", {"text": NUL}).status_code == 400
    assert client.get("/results/", {"q": "x" * 9000}).status_code == 414
    assert client.get("/results/", {"q": "x" * 100}).status_code == 200


def test_control_characters_become_line_breaks_or_go_and_exports_still_open(world, client, login):
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.surveys.test_questionnaires import build, post_answers

    survey, q = build(world)
    # PowerPoint's line break is a vertical tab; \x01 and \x1b are invisible junk.
    assert post_answers(client, survey, q, text="第一行\x0b第二行\x01\x1b").status_code == 200
    assert Answer.objects.get(question=q["text"]).text == "第一行\n第二行"
    export = login(world.leader).get(f"/surveys/{survey.pk}/results.xlsx")
    assert export.status_code == 200
    cells = [
        c.value for row in load_workbook(BytesIO(export.content)).active.iter_rows() for c in row
    ]
    assert "第一行\n第二行" in cells


def test_invisible_characters_that_reorder_or_hide_text_are_not_stored(world, client):
    from tests.surveys.test_questionnaires import build, post_answers

    survey, q = build(world)
    # A right-to-left override prints the rest backwards; a zero-width space and a BOM
    # hide; an emoji's zero-width joiner stays.
    typed = "整改\u202e完成\u200b了\ufeff\u2066👩\u200d💻\u2069"
    assert post_answers(client, survey, q, text=typed).status_code == 200
    assert Answer.objects.get(question=q["text"]).text == "整改完成了👩\u200d💻"


def test_a_nul_in_a_cookie_is_as_if_the_cookie_were_not_sent(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/public/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
