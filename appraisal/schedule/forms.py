from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, Campaign, ScheduledEvent
from appraisal.schedule.models import PLAN_TEXT_MAX
from appraisal.uploads import check_upload

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


def check_year(day: date | None, campaign: Campaign) -> None:
    """A campaign's dates lie between the year before it and two years after (a
    rectification report may be due next year); anything else is a slip of the keyboard."""
    if day is not None and not campaign.year - 1 <= day.year <= campaign.year + 2:
        raise forms.ValidationError(
            _("Pick a date between %(a)d and %(b)d.")
            % {"a": campaign.year - 1, "b": campaign.year + 2}
        )


def aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class EventForm(forms.Form):
    appraisal = forms.ChoiceField(label=_("Unit"), required=False)
    kind = forms.ChoiceField(label=_("Kind of event"))
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        required=False,
        help_text=_("Left empty, the kind is the title."),
    )
    day = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(
        label=_("Starts at"),
        required=False,
        widget=TIME,
        help_text=_("No time: an all-day event (a deadline, say)."),
    )
    end_day = forms.DateField(label=_("Last day"), required=False, widget=DATE)
    end_time = forms.TimeField(label=_("Ends at"), required=False, widget=TIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.ChoiceField(
        label=_("Who sees it"),
        required=False,
        help_text=_(
            "By default meetings are for everyone taking part, the rest for the office, the work "
            "group and the unit. An unannounced visit is only ever seen by the office and its "
            "work group."
        ),
    )

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        appraisals: Sequence[Appraisal],
        office: bool,
        event: ScheduledEvent | None = None,
        **kwargs: Any,
    ) -> None:
        if event is not None and "initial" not in kwargs:
            start, end = event.local_start, event.local_end
            kwargs["initial"] = {
                "appraisal": str(event.appraisal_id or ""),
                "kind": event.kind,
                "title": event.title,
                "day": start.date(),
                "start_time": None if event.all_day else start.time(),
                "end_day": end.date() if end and end.date() != start.date() else None,
                "end_time": None if event.all_day or end is None else end.time(),
                "place": event.place,
                "notes": event.notes,
                "audience": event.audience,
            }
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.office = office
        self.appraisals = {str(a.pk): a for a in appraisals}
        choices: list[tuple[str, Any]] = [(str(a.pk), a.unit.name) for a in appraisals]
        if office:
            choices = [("", _("The whole campaign")), *choices]
        fields: dict[str, Any] = self.fields
        fields["appraisal"].choices = choices
        fields["appraisal"].required = not office
        kinds = ScheduledEvent.Kind.choices
        if not office:
            kinds = [(v, label) for v, label in kinds if v in ScheduledEvent.GROUP_KINDS]
        fields["kind"].choices = kinds
        fields["audience"].choices = [
            ("", _("Default for the kind")),
            *ScheduledEvent.Audience.choices,
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["appraisal"] = self.appraisals.get(data.get("appraisal") or "")
        day, end_day = data.get("day"), data.get("end_day")
        start_time, end_time = data.get("start_time"), data.get("end_time")
        for name, value in (("day", day), ("end_day", end_day)):
            try:
                check_year(value, self.campaign)
            except forms.ValidationError as e:
                self.add_error(name, e)
        if self.errors or day is None:
            return data
        if data.get("kind") == ScheduledEvent.Kind.UNANNOUNCED_VISIT and data["appraisal"] is None:
            self.add_error("appraisal", _("An unannounced visit needs the unit it visits."))
        if end_day is not None and end_day < day:
            self.add_error("end_day", _("The last day cannot be before the first."))
            return data
        if start_time is None:
            if end_time is not None:
                self.add_error("start_time", _("Give the start time too, or neither."))
                return data
            data["all_day"] = True
            data["starts_at"] = aware(day, time.min)
            data["ends_at"] = aware(end_day, time.min) if end_day and end_day > day else None
        else:
            data["all_day"] = False
            data["starts_at"] = aware(day, start_time)
            if end_time is not None:
                data["ends_at"] = aware(end_day or day, end_time)
                if data["ends_at"] < data["starts_at"]:
                    self.add_error("end_time", _("The event cannot end before it starts."))
            elif end_day is not None and end_day > day:
                data["ends_at"] = aware(end_day + timedelta(days=1), time.min)
            else:
                data["ends_at"] = None
        return data

    def service_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "appraisal": d["appraisal"],
            "kind": d["kind"],
            "title": d["title"],
            "starts_at": d["starts_at"],
            "ends_at": d["ends_at"],
            "all_day": d["all_day"],
            "place": d["place"],
            "notes": d["notes"],
            "audience": d["audience"],
        }


class EventMoveForm(forms.Form):
    to = forms.ChoiceField(choices=ScheduledEvent.Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Reason"), max_length=500, required=False)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(
        label=_("Text of the plan"),
        max_length=PLAN_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Printed as an official document. A line starting with 一、 is a heading, "
            "（一） a sub-heading."
        ),
    )
    file = forms.FileField(
        label=_("File of the plan"),
        required=False,
        help_text=_("PDF or Word, as adopted; it replaces the file kept now."),
    )
    remove_file = forms.BooleanField(label=_("Remove the file kept now"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload


class PhaseDatesForm(forms.Form):
    """A planned start and end per phase (the closing phase has none)."""

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.phases = [
            (value, label) for value, label in Campaign.Phase.choices if value != "closed"
        ]
        for value, label in self.phases:
            self.fields[f"{value}_start"] = forms.DateField(
                label=_("Start of %(phase)s") % {"phase": label}, required=False, widget=DATE
            )
            self.fields[f"{value}_end"] = forms.DateField(
                label=_("End of %(phase)s") % {"phase": label}, required=False, widget=DATE
            )

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(label, self[f"{v}_start"], self[f"{v}_end"]) for v, label in self.phases]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dates: dict[str, tuple[date, date] | None] = {}
        for value, _label in self.phases:
            start, end = data.get(f"{value}_start"), data.get(f"{value}_end")
            for name, day in ((f"{value}_start", start), (f"{value}_end", end)):
                try:
                    check_year(day, self.campaign)
                except forms.ValidationError as e:
                    self.add_error(name, e)
            if (start is None) != (end is None):
                self.add_error(f"{value}_end", _("Give both the start and the end, or neither."))
            elif start is not None and end is not None and end < start:
                self.add_error(f"{value}_end", _("A phase cannot end before it starts."))
            elif start is not None and end is not None:
                dates[value] = (start, end)
            else:
                dates[value] = None
        data["dates"] = dates
        return data
