"""Counts that always reconcile (issue 10 §2), through the services, pages and documents."""

import subprocess
from fractions import Fraction
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.models import AuditEvent, PaperTallyEntry, RoundGroup, RoundResult, ScoringRound
from appraisal.scoring import selectors
from appraisal.scoring import services as scoring
from appraisal.scoring.rules import PRESETS
from appraisal.scoring.services import RoundError
from tests.appraisal.conftest import all_choice, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def teller2(django_user_model):
    from appraisal.services import office_grant

    user = django_user_model.objects.create(username="teller2")
    office_grant(user=user, actor=None)
    return user


def attendance(world, sw, group, **values):
    rg = RoundGroup.objects.get(round=sw.round, voter_group=group)
    current = {k: getattr(rg, k) for k in ("entitled", "present", "paper_issued", "paper_returned")}
    scoring.round_set_attendance(
        round=sw.round, actor=world.office, groups={rg.pk: {**current, **values}}
    )


def both_tellers(world, sw, teller2, group, rows):
    for teller in (world.office, teller2):
        status = scoring.paper_tally_enter(
            round=sw.round, voter_group=group, actor=teller, rows=rows
        )
    return status


def same_for_both_units(world, **counts):
    return {world.appraisal_a.pk: counts, world.appraisal_b.pk: counts}


# ---- rounding once, on the page, in Excel and in the PDF ---------------------------------


def test_50_of_101_reads_49_50_percent_on_page_excel_and_pdf(world, login, teller2, tmp_path):
    sw = make_round(world)  # rate of valid ballots
    attendance(
        world, sw, sw.deputies, entitled=101, present=101, paper_issued=101, paper_returned=101
    )
    scoring.round_open(round=sw.round, actor=world.office)
    both_tellers(
        world, sw, teller2, sw.deputies, same_for_both_units(world, satisfied=50, unsatisfied=51)
    )
    scoring.round_close(round=sw.round, actor=world.office)
    result = RoundResult.objects.get(round=sw.round, appraisal=world.appraisal_a)
    assert result.satisfaction_rate == Fraction(50, 101)  # stored exactly
    assert result.rate_display == "49.50%"

    office = login(world.office)
    page = office.get(reverse("appraisal:results", args=[sw.round.pk])).content.decode()
    assert "49.50%" in page and "49.51%" not in page
    xlsx = office.get(reverse("appraisal:results_xlsx", args=[sw.round.pk]))
    sheet = load_workbook(BytesIO(xlsx.content)).worksheets[0]
    # Percentages are numbers formatted 0.00% (the figure as shown, rounded once).
    shown = [
        f"{c.value * 100:.2f}%"
        for row in sheet.iter_rows()
        for c in row
        if c.number_format == "0.00%" and isinstance(c.value, float)
    ]
    assert "49.50%" in shown and "49.51%" not in shown
    pdf = tmp_path / "results.pdf"
    pdf.write_bytes(office.get(reverse("appraisal:results_pdf", args=[sw.round.pk])).content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "49.50%" in text and "49.51%" not in text


def test_points_61_37_3_of_101_read_89_50_on_the_page(world, login, teller2):
    sw = make_round(world, preset="points_100_75_55")
    attendance(
        world, sw, sw.deputies, entitled=101, present=101, paper_issued=101, paper_returned=101
    )
    scoring.round_open(round=sw.round, actor=world.office)
    rows = same_for_both_units(world, satisfied=61, basically_satisfied=37, unsatisfied=3)
    both_tellers(world, sw, teller2, sw.deputies, rows)
    scoring.round_close(round=sw.round, actor=world.office)
    data = selectors.round_results(sw.round)
    assert {row["points"] for row in data["rows"]} == {"89.50"}
    assert {row["score"] for row in data["rows"]} == {"89.50"}
    page = login(world.office).get(reverse("appraisal:results", args=[sw.round.pk]))
    assert "89.50" in page.content.decode() and "89.51" not in page.content.decode()


# ---- a void paper count blocks publication -----------------------------------------------


def test_a_void_paper_tally_blocks_publication_until_recounted(world, teller2):
    sw = make_round(world)
    attendance(world, sw, sw.deputies, entitled=10, present=10, paper_issued=5)
    scoring.round_open(round=sw.round, actor=world.office)
    both_tellers(world, sw, teller2, sw.deputies, same_for_both_units(world, satisfied=6))
    scoring.round_close(round=sw.round, actor=world.office)
    result = RoundResult.objects.get(round=sw.round, appraisal=world.appraisal_a)
    # Nothing left to count: no verdict, no rank, and the reason is shown.
    assert (result.verdict, result.rank, result.valid) == ("", None, 0)
    assert any("6" in n and "5" in n for n in result.notes)
    assert any("没有可计入的有效票" in n for n in result.notes)
    with pytest.raises(RoundError, match="重新"):
        scoring.round_publish(round=sw.round, actor=world.office)
    assert selectors.publication_blockers(sw.round)

    # The group votes again on paper: the count is cleared (audited), then entered again.
    scoring.paper_recount(
        round=sw.round, voter_group=sw.deputies, actor=world.office, reason="收回多于发出，重投"
    )
    assert not PaperTallyEntry.objects.filter(round=sw.round).exists()
    event = AuditEvent.objects.filter(action="appraisal.round.paper_recount").get()
    assert event.data["reason"] == "收回多于发出，重投" and event.data["entries_cleared"] == 4
    attendance(world, sw, sw.deputies, paper_returned=5)
    both_tellers(
        world, sw, teller2, sw.deputies, same_for_both_units(world, satisfied=4, unsatisfied=1)
    )
    result = RoundResult.objects.get(round=sw.round, appraisal=world.appraisal_a)
    assert (result.verdict, result.rank, result.valid) == ("satisfied", 1, 5)
    scoring.round_publish(round=sw.round, actor=world.office)


def test_the_rule_can_say_a_void_paper_count_voids_the_round(world, teller2):
    sw = make_round(world)
    sw.round.void_paper_voids_round = True
    sw.round.save()
    attendance(world, sw, sw.deputies, entitled=10, present=10, paper_issued=5)
    scoring.round_open(round=sw.round, actor=world.office)
    both_tellers(world, sw, teller2, sw.deputies, same_for_both_units(world, satisfied=6))
    scoring.round_close(round=sw.round, actor=world.office)
    sw.round.refresh_from_db()
    assert sw.round.void and "6" in sw.round.void_reason
    scoring.round_publish(round=sw.round, actor=world.office)  # a void round is published void
    assert set(RoundResult.objects.values_list("verdict", flat=True)) == {""}


def test_paper_recount_is_office_only_and_needs_a_reason(world, open_round):
    from appraisal.errors import NotAllowed

    with pytest.raises(NotAllowed):
        scoring.paper_recount(
            round=open_round.round, voter_group=open_round.deputies, actor=world.leader, reason="x"
        )
    with pytest.raises(RoundError):
        scoring.paper_recount(
            round=open_round.round, voter_group=open_round.deputies, actor=world.office, reason=" "
        )


# ---- never more ballots than voters ------------------------------------------------------


def test_codes_are_capped_by_those_present(world):
    sw = make_round(world)
    attendance(world, sw, sw.deputies, entitled=10, present=10, paper_issued=3)
    scoring.round_open(round=sw.round, actor=world.office)
    # Two deputies vote by account: they get no slip.
    for voter in sw.voters[4:6]:
        scoring.ballot_cast(
            round_id=sw.round.pk, voter=voter, choices=all_choice(world, "satisfied")
        )
    with pytest.raises(RoundError, match="最多还可生成 5 个"):
        scoring.codes_generate(
            round=sw.round, voter_group=sw.deputies, count=15, actor=world.office
        )
    scoring.codes_generate(round=sw.round, voter_group=sw.deputies, count=5, actor=world.office)
    with pytest.raises(RoundError):
        scoring.codes_generate(round=sw.round, voter_group=sw.deputies, count=1, actor=world.office)
    # Nor can more paper ballots be handed out afterwards, nor present shrink below them.
    with pytest.raises(RoundError, match="多于实到"):
        attendance(world, sw, sw.deputies, paper_issued=4)
    with pytest.raises(RoundError):
        attendance(world, sw, sw.deputies, present=7)
    rooms = {r["group"]: r for r in selectors.code_rooms(sw.round)}
    assert rooms["人大代表"]["accounts"] == 4
    assert rooms["人大代表"]["voted_by_account"] == 2
    assert rooms["人大代表"]["room"] == 0


def test_codes_wait_for_the_attendance(world):
    sw = make_round(world)
    RoundGroup.objects.filter(round=sw.round).update(present=None)
    with pytest.raises(RoundError, match="实到"):
        scoring.codes_generate(round=sw.round, voter_group=sw.deputies, count=1, actor=world.office)


def test_present_cannot_exceed_entitled(world, sw):
    with pytest.raises(RoundError, match="多于应到"):
        attendance(world, sw, sw.deputies, entitled=10, present=15)


def test_paper_plus_electronic_beyond_present_is_flagged_and_blocks_publication(world, teller2):
    sw = make_round(world)  # deputies: 4 entitled, 4 present, all on the roll
    attendance(world, sw, sw.deputies, paper_issued=0)
    scoring.round_open(round=sw.round, actor=world.office)
    for voter in sw.voters[4:]:
        scoring.ballot_cast(
            round_id=sw.round.pk, voter=voter, choices=all_choice(world, "satisfied")
        )
    # Recording 2 paper ballots returned on top of 4 electronic ones is refused …
    with pytest.raises(RoundError, match="多于实到"):
        attendance(world, sw, sw.deputies, paper_returned=2)
    # … and a tally that slips past it anyway is flagged and stops publication.
    both_tellers(world, sw, teller2, sw.deputies, same_for_both_units(world, satisfied=2))
    scoring.round_close(round=sw.round, actor=world.office)
    result = RoundResult.objects.get(round=sw.round, appraisal=world.appraisal_a)
    assert any("电子票 4 张、纸质票 2 张" in n for n in result.notes)
    with pytest.raises(RoundError, match="多于实到的 4 人"):
        scoring.round_publish(round=sw.round, actor=world.office)


# ---- tallies that agree with themselves -------------------------------------------------


def test_every_unit_adds_up_to_the_paper_ballots_returned(world, open_round):
    attendance(
        world, open_round, open_round.deputies, entitled=20, present=20, paper_issued=12,
        paper_returned=12,
    )  # fmt: skip
    rows = {
        world.appraisal_a.pk: {"satisfied": 8, "unsatisfied": 2, "invalid": 1, "blank": 1},
        world.appraisal_b.pk: {"satisfied": 9, "unsatisfied": 2},
    }
    with pytest.raises(RoundError) as refused:
        scoring.paper_tally_enter(
            round=open_round.round, voter_group=open_round.deputies, actor=world.office, rows=rows
        )
    message = refused.value.message
    assert "市交通运输局" in message and "11" in message and "12" in message
    assert not PaperTallyEntry.objects.exists()  # nothing half-written
    rows[world.appraisal_b.pk]["blank"] = 1
    assert set(
        scoring.paper_tally_enter(
            round=open_round.round, voter_group=open_round.deputies, actor=world.office, rows=rows
        ).values()
    ) == {"waiting"}


def test_without_a_returned_count_the_units_must_agree_with_one_another(world, open_round):
    rows = {
        world.appraisal_a.pk: {"satisfied": 3},
        world.appraisal_b.pk: {"satisfied": 2},
    }
    with pytest.raises(RoundError, match="3"):
        scoring.paper_tally_enter(
            round=open_round.round, voter_group=open_round.deputies, actor=world.office, rows=rows
        )


def test_dont_know_is_refused_where_the_ballot_has_none(world, open_round):
    assert not open_round.round.allow_unknown
    rows = same_for_both_units(world, satisfied=2, unknown=1)
    with pytest.raises(RoundError, match="不了解"):
        scoring.paper_tally_enter(
            round=open_round.round, voter_group=open_round.deputies, actor=world.office, rows=rows
        )


# ---- weights that must sum to 1 ----------------------------------------------------------


def test_weights_must_sum_to_one_when_the_rule_says_so(world, sw):
    sw.deputies.weight = "0.3"
    sw.deputies.save()
    with pytest.raises(RoundError, match=r"0\.9"):
        scoring.round_save(
            campaign=world.campaign,
            actor=world.office,
            title="x",
            kind=1,
            appraisals=[world.appraisal_a],
            voter_groups=[sw.committee, sw.deputies],
            allow_unknown=False,
            rule={**PRESETS["rate_80_60"], "weights_sum_to_one": True},
        )
    rnd = scoring.round_save(
        campaign=world.campaign,
        actor=world.office,
        title="x",
        kind=1,
        appraisals=[world.appraisal_a],
        voter_groups=[sw.committee, sw.deputies],
        allow_unknown=False,
        rule={**PRESETS["rate_80_60"], "weights_sum_to_one": False},
    )
    lines = selectors.round_overview(rnd)["rule_lines"]
    assert any("÷ Σ 权重" in line for line in lines)


# ---- second failure ----------------------------------------------------------------------


def run_round(world, sw, choice, *, kind=1):
    if kind != 1:
        rnd = scoring.round_save(
            campaign=world.campaign,
            actor=world.office,
            title="二次测评",
            kind=kind,
            appraisals=[world.appraisal_a, world.appraisal_b],
            voter_groups=[sw.committee, sw.deputies],
            allow_unknown=False,
            rule=PRESETS["rate_80_60"],
        )
        scoring.round_set_attendance(
            round=rnd,
            actor=world.office,
            groups={rg.pk: {"present": rg.entitled} for rg in rnd.groups.all()},
        )
    else:
        rnd = sw.round
    scoring.round_open(round=rnd, actor=world.office)
    for voter in sw.voters:
        choices = {world.appraisal_a.pk: choice, world.appraisal_b.pk: "satisfied"}
        scoring.ballot_cast(round_id=rnd.pk, voter=voter, choices=choices)
    scoring.round_close(round=rnd, actor=world.office)
    return rnd


@pytest.mark.usefixtures("scoring_alone")
def test_unsatisfied_in_round_two_after_round_one_is_flagged_everywhere(world, login):
    sw = make_round(world)
    first = run_round(world, sw, "unsatisfied")
    scoring.round_publish(round=first, actor=world.office)
    second = run_round(world, sw, "unsatisfied", kind=2)

    # On the (not yet published) results, both rounds side by side.
    rows = {row["unit"].name: row for row in selectors.round_results(second)["rows"]}
    earlier, now = rows["市住房和城乡建设局"]["second_failure"]
    assert (earlier.round_id, now.round_id) == (first.pk, second.pk)
    assert rows["市交通运输局"]["second_failure"] is None
    page = login(world.office).get(reverse("appraisal:results", args=[second.pk])).content
    assert "再次测评仍为不满意" in page.decode()

    scoring.round_publish(round=second, actor=world.office)
    # On the office overview, through the scoring stage.
    stage = selectors.scoring_stage(world.campaign, [world.appraisal_a, world.appraisal_b])
    assert stage[world.appraisal_a.pk].state == "alert"
    assert "再次不满意" in stage[world.appraisal_a.pk].text
    assert stage[world.appraisal_b.pk].state == "done"
    overview = login(world.office).get("/office/").content.decode()
    assert "stage-alert" in overview and "再次不满意" in overview
    # On the unit's history.
    history = selectors.published_results_for_unit(world.appraisal_a.unit)
    assert history[0].previous_failure.round_id == first.pk
    unit_page = login(world.liaison_a).get(reverse("appraisal:unit_home")).content.decode()
    assert "再次测评仍为不满意" in unit_page and "二次测评" in unit_page


@pytest.mark.usefixtures("scoring_alone")
def test_one_unsatisfied_round_alone_is_no_second_failure(world):
    sw = make_round(world)
    first = run_round(world, sw, "unsatisfied")
    scoring.round_publish(round=first, actor=world.office)
    second = run_round(world, sw, "satisfied", kind=2)
    scoring.round_publish(round=second, actor=world.office)
    assert selectors.second_failures([world.appraisal_a.unit_id]) == {}
    stage = selectors.scoring_stage(world.campaign, [world.appraisal_a])
    assert stage[world.appraisal_a.pk].state == "done"


# ---- the round form -------------------------------------------------------------------------


@pytest.mark.usefixtures("scoring_alone")
def test_round_form_fills_a_preset_without_script_and_saves_exact_fractions(world, login, sw):
    office = login(world.office)
    new = reverse("appraisal:round_create", args=[world.campaign.pk])
    page = office.get(new).content.decode()
    # Units and voter groups start ticked; the presets say what they do.
    assert page.count('name="appraisals"') == page.count('name="appraisals" value') == 2
    assert page.count("checked") >= 4
    assert "过半数（不含半数）" in page and "半数以上（含半数）" in page
    form = {
        "title": "二次测评",
        "kind": 2,
        "appraisals": [world.appraisal_a.pk],
        "voter_groups": [sw.committee.pk],
        "shape": "rate",
        "denominator": "valid",
        "upper_threshold": "0.8",
        "upper_inclusive": "on",
        "lower_threshold": "0.6",
        "points_satisfied": 100,
        "points_basically_satisfied": 75,
        "points_unsatisfied": 55,
        "quorum": "1/2",
        "boundary_wins": "higher",
        "mark_top": 0,
        "mark_bottom": 0,
    }
    before = ScoringRound.objects.count()
    filled = office.post(new, {**form, "preset": "tiered_over_half", "apply_preset": "1"})
    assert filled.status_code == 200 and ScoringRound.objects.count() == before  # not saved
    shown = filled.content.decode()
    assert 'id="id_shape"' in shown and '<option value="tiered" selected>' in shown
    assert 'name="upper_inclusive"' in shown
    assert 'name="upper_inclusive" id="id_upper_inclusive" checked' not in shown
    assert 'value="二次测评"' in shown  # what was typed stays

    saved = office.post(new, {**form, "upper_threshold": "2/3", "group_quorum": "50%"})
    assert saved.status_code == 302
    rnd = ScoringRound.objects.latest("pk")
    assert rnd.upper_threshold == Fraction(2, 3) and rnd.group_quorum == Fraction(1, 2)
    detail = office.get(rnd.get_absolute_url()).content.decode()
    assert "2/3（三分之二）以上（含本数）" in detail

    bad = office.post(new, {**form, "upper_threshold": "2/0"})
    assert bad.status_code == 200 and "请填写分数" in bad.content.decode()
