"""Ledger pages: per appraisal and campaign-wide, an item's page with its moves and
progress, evidence downloads, the Excel export and a person's reminders."""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appraisal import documents
from appraisal.access import acting_user, is_investigator
from appraisal.errors import DomainError
from appraisal.selfreview.access import is_unit_member
from rectification.feedback import selectors as feedback
from rectification.ledger import access, importing, selectors, services
from rectification.ledger.documents import ledger_workbook
from rectification.ledger.forms import ItemForm, LedgerUploadForm, MoveForm, ProgressForm
from rectification.ledger.models import RectificationItem

ACTION_LABELS = {
    "submit": _("Submit the plan"),
    "approve": _("Approve the plan"),
    "return_plan": _("Return the plan"),
    "accept_explanation": _("Accept the explanation"),
    "reject_explanation": _("Reject the explanation"),
    "start": _("Start"),
    "finish": _("Mark done"),
    "close": _("Close (销号)"),
    "return": _("Return for more work"),
    "reopen": _("Reopen"),
}
# What the person reads once a move is made: what happened and what comes next.
MOVE_DONE = {
    "submit": _("The plan is submitted; the work group approves it or returns it."),
    "approve": _("The plan is approved; the unit can start the work."),
    "return_plan": _("The plan is returned to the unit with your reason."),
    "accept_explanation": _("The explanation is accepted; the item is finished."),
    "reject_explanation": _("The explanation is not accepted; it goes back to the unit."),
    "start": _("The work on this item has started."),
    "finish": _("Marked done; the work group checks it and closes it (销号)."),
    "close": _("The item is closed (销号)."),
    "return": _("The item is returned for more work; the unit sees your reason."),
    "reopen": _("The item is reopened."),
}
# The campaign-wide ledger shows this many rows a page; the filters and totals cover all.
CAMPAIGN_PAGE = 100
# Buttons that turn an item back are shown apart from those that move it on.
BACKWARD = {"return_plan", "reject_explanation", "return", "reopen"}


def _context(
    items: Any, opinion_items: Any, request: HttpRequest, per_page: int | None = None
) -> dict[str, Any]:
    filters = selectors.Filters.from_query(request.GET)
    today = timezone.localdate()
    page = request.GET.get("page", "")[:6]
    return {
        "ledger": selectors.ledger(
            items, opinion_items, filters, today, page=page, per_page=per_page
        ),
        "filters": filters,
        "today": today,
        "statuses": RectificationItem.Status.choices,
        "categories": RectificationItem.Category.choices,
    }


@login_required
@require_GET
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    appraisal = access.get_appraisal_for_ledger(user, pk)
    items = selectors.items_of_appraisal(appraisal)
    opinion_items = selectors.issued_opinion_items([appraisal])
    context = _context(items, opinion_items, request)
    groups: dict[int, list[selectors.Row]] = defaultdict(list)
    for row in context["ledger"].rows:
        groups[row.item.opinion_item_id].append(row)
    unit_member = is_unit_member(user, appraisal)
    can_add = (
        unit_member
        and appraisal.campaign.phase in services.DRAFT_PHASES
        and bool(context["ledger"].opinion_items)
    )
    context.update(
        appraisal=appraisal,
        sections=[
            (op, context["ledger"].rollups.get(op.pk), groups.get(op.pk, []))
            for op in context["ledger"].opinion_items
            if not context["filters"].opinion_item or op.pk == context["filters"].opinion_item
        ],
        form=ItemForm(appraisal=appraisal) if can_add else None,
        unit_member=unit_member,
        can_import=can_add or (user.is_office and not importing.import_refusal(user, appraisal)),
    )
    return render(request, "rectification/ledger/ledger.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    appraisal = access.get_appraisal_for_ledger_writer(user, pk)
    form = ItemForm(request.POST or None, appraisal=appraisal, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(actor=user, **form.cleaned_data)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The item is added to the ledger as a draft plan."))
            return redirect(item)
    return render(
        request,
        "rectification/ledger/item_form.html",
        {"appraisal": appraisal, "form": form, "item": None},
    )


@login_required
@require_GET
def campaign_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    campaign = access.get_campaign_for_ledger(user, pk)
    items = access.items_visible_to(user).filter(appraisal__campaign=campaign)
    opinion_items = selectors.issued_opinion_items(
        access.appraisals_visible_to(user).filter(campaign=campaign)
    )
    context = _context(items, opinion_items, request, per_page=CAMPAIGN_PAGE)
    context["campaign"] = campaign
    return render(request, "rectification/ledger/campaign_ledger.html", context)


def _moves_for(
    user: Any, item: RectificationItem, *, progress_main: bool = False
) -> list[dict[str, Any]]:
    moves = [
        {
            "action": action,
            "label": ACTION_LABELS[action],
            "reason": move.reason,
            "backward": action in BACKWARD,
            "primary": False,
        }
        for action, move in item.moves().items()
        if services.may_make(user, move.by, item.appraisal)
    ]
    # One main action: the first step forward; the others are plain buttons. While the
    # unit's main action is to report progress, no move is the main one.
    forward = [m for m in moves if not m["backward"]]
    if forward and not progress_main:
        forward[0]["primary"] = True
    return moves


@login_required
@require_GET
def item(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    current = access.get_item_for_user(user, pk)
    unit_member = is_unit_member(user, current.appraisal)
    progress = list(current.progress.prefetch_related("evidence").select_related("created_by"))
    can_report = unit_member and current.status in RectificationItem.REPORTABLE
    # One main button for the unit: reporting progress, until the work is at 100 % with
    # evidence; then marking it done (and reporting more is the plain button).
    ready = current.percent == 100 and any(p.evidence.all() for p in progress)
    progress_main = can_report and not (ready and "finish" in current.moves())
    return render(
        request,
        "rectification/ledger/item.html",
        {
            "item": current,
            "appraisal": current.appraisal,
            "today": timezone.localdate(),
            "progress": progress,
            "history": selectors.item_history(current),
            "progress_main": progress_main,
            "moves": _moves_for(user, current, progress_main=progress_main),
            "can_edit": unit_member and current.editable,
            "progress_form": ProgressForm(initial={"day": timezone.localdate()})
            if can_report
            else None,
            "investigator": is_investigator(user, current.appraisal),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    current = access.get_item_for_unit_writer(user, pk)
    if not current.editable:
        raise PermissionDenied
    fields = services.EDITABLE_FIELDS
    form = ItemForm(
        request.POST or None,
        appraisal=current.appraisal,
        fixed_opinion_item=True,
        initial={f: getattr(current, f) for f in fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                item=current, actor=user, **{f: form.cleaned_data[f] for f in fields}
            )
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(current)
    return render(
        request,
        "rectification/ledger/item_form.html",
        {"appraisal": current.appraisal, "form": form, "item": current},
    )


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    current = access.get_item_for_user(user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect(current)
    action = form.cleaned_data["action"]
    move = current.moves().get(action)
    if move is not None and not services.may_make(user, move.by, current.appraisal):
        raise PermissionDenied
    # A move the item no longer allows (the second click of a double click, a colleague's
    # move a moment earlier) is the service's message, not an error page.
    try:
        services.item_move(
            item=current, actor=user, action=action, reason=form.cleaned_data["reason"]
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, MOVE_DONE[action])
    return redirect(current)


@login_required
@require_POST
def item_progress(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    current = access.get_item_for_unit_writer(user, pk)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect(current)
    try:
        services.progress_post(
            item=current,
            actor=user,
            day=form.cleaned_data["day"],
            text=form.cleaned_data["text"],
            percent=form.cleaned_data["percent"],
            uploads=form.cleaned_data["evidence_files"],
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The progress is recorded."))
    return redirect(current)


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    current = access.get_evidence_for_user(acting_user(request), pk)
    response = FileResponse(
        current.file.open("rb"),
        as_attachment=True,
        filename=current.original_name,
        content_type=current.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = access.get_appraisal_for_ledger(acting_user(request), pk)
    items = selectors.filtered(
        selectors.items_of_appraisal(appraisal),
        selectors.Filters.from_query(request.GET),
        timezone.localdate(),
    )
    name = f"{appraisal.unit.name}整改台账"
    return documents.download(ledger_workbook(items, name), documents.XLSX, f"{name}.xlsx")


@login_required
@require_GET
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    campaign = access.get_campaign_for_ledger(user, pk)
    items = selectors.filtered(
        access.items_visible_to(user).filter(appraisal__campaign=campaign),
        selectors.Filters.from_query(request.GET),
        timezone.localdate(),
    )
    name = f"{campaign.title}整改台账"
    return documents.download(ledger_workbook(items, name), documents.XLSX, f"{name}.xlsx")


@login_required
@require_GET
def reminders(request: HttpRequest) -> HttpResponse:
    """What was sent to me: ledger reminders, and closures of items built on a problem I
    raised (unread ones marked until I mark them read)."""
    user = acting_user(request)
    notices = list(feedback.notices_of(user))
    return render(
        request,
        "rectification/ledger/reminders.html",
        {
            "reminders": selectors.reminders_of(user),
            "notices": notices,
            "unread": sum(1 for n in notices if n.unread),
        },
    )


@login_required
@require_GET
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = access.get_appraisal_for_ledger_importer(acting_user(request), pk)
    name = f"{appraisal.unit.name}整改台账导入模板"
    return documents.download(importing.ledger_template(appraisal), documents.XLSX, f"{name}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload, check and preview an initial ledger; import it only when the person
    confirms the preview. The checked file waits in the session between the two steps."""
    user = acting_user(request)
    appraisal = access.get_appraisal_for_ledger_importer(user, pk)
    key = f"pingyi_ledger_import_{appraisal.pk}"
    refusal = importing.import_refusal(user, appraisal)
    context: dict[str, Any] = {"appraisal": appraisal, "refusal": refusal}
    form = LedgerUploadForm()
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
    elif request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get(key)
        if not pending or pending.get("digest") != request.POST.get("digest"):
            messages.error(request, _("The checked file is no longer there. Upload it again."))
            return redirect("rectification:ledger_import", pk=appraisal.pk)
        try:
            parsed = importing.ledger_parse(
                BytesIO(base64.b64decode(pending["data"])), appraisal=appraisal
            )
            summary = importing.ledger_import(appraisal=appraisal, parsed=parsed, actor=user)
        except importing.LedgerInvalid as e:
            context["errors"] = e.errors
        except DomainError as e:
            messages.error(request, e.message)
        else:
            del request.session[key]
            context["summary"] = summary
    elif request.method == "POST":
        form = LedgerUploadForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"].read()
            try:
                parsed = importing.ledger_parse(BytesIO(content), appraisal=appraisal)
                preview = importing.ledger_preview(appraisal=appraisal, parsed=parsed, actor=user)
            except importing.LedgerInvalid as e:
                context["errors"] = e.errors
            except DomainError as e:
                messages.error(request, e.message)
            else:
                digest = hashlib.sha256(content).hexdigest()
                request.session[key] = {
                    "data": base64.b64encode(content).decode(),
                    "digest": digest,
                }
                context.update(preview=preview, digest=digest)
                form = LedgerUploadForm()
    context["form"] = form
    return render(request, "rectification/ledger/import.html", context)
