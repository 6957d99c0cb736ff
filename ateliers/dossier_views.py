"""The dossier's pages: an overview of every section with what is missing, and one edit
page per section (the budget's is a table of lines). Writes go through ateliers.dossier.

Who gets what: leads (and superusers) read and edit; facilitators of one of the
challenge's workshops read the overview, and get 403 on the edit pages (they know the
dossier exists); anyone else gets 404 everywhere; anonymous visitors go to the login page.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ateliers import dossier
from ateliers.errors import DomainError
from ateliers.forms import BudgetCommentForm, budget_formset, section_form_class
from ateliers.models import BudgetLine, Challenge
from ateliers.permissions import can_manage_challenge, can_view_challenge


def _visible_challenge(request: HttpRequest, pk: int) -> tuple[Challenge, bool]:
    """The challenge and whether the user may edit it; 404 if they may not even see it."""
    challenge = get_object_or_404(Challenge, pk=pk)
    if not can_view_challenge(request.user, challenge):
        raise Http404
    return challenge, can_manage_challenge(request.user, challenge)


def _budget_rows(lines: list[BudgetLine]) -> list[tuple[BudgetLine, Decimal]]:
    """Each line with the amount it asks the call for."""
    return [(line, line.amount - line.self_financed) for line in lines]


@login_required
def dossier_overview(request: HttpRequest, pk: int) -> HttpResponse:
    challenge, can_edit = _visible_challenge(request, pk)
    missing = dossier.missing_items(challenge)
    missing_fields = {item.field for item in missing if item.blocking}
    lines = list(challenge.budget_lines.all())
    sections = [
        {
            "section": section,
            "rows": [
                (row, row.field in missing_fields)
                for row in dossier.section_rows(challenge, section)
            ],
            "missing": [item for item in missing if item.section == section.key],
        }
        for section in dossier.SECTIONS
    ]
    return render(
        request,
        "ateliers/dossier_overview.html",
        {
            "challenge": challenge,
            "can_edit": can_edit,
            "sections": sections,
            "blocking": [item for item in missing if item.blocking],
            "warnings": [item for item in missing if not item.blocking],
            "budget_rows": _budget_rows(lines),
            "budget": dossier.summarise_lines(lines),
        },
    )


@login_required
def dossier_section_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    part = dossier.SECTION_BY_KEY.get(section)
    if part is None:
        raise Http404
    challenge, can_edit = _visible_challenge(request, pk)
    if not can_edit:
        raise PermissionDenied
    if part.key == "budget":
        return _budget_edit(request, challenge, part)
    form = section_form_class(part)(request.POST or None, instance=challenge)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in part.fields}
        try:
            dossier.challenge_update(user=request.user, challenge_id=challenge.pk, **fields)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Section « %(title)s » enregistrée.") % {"title": part.title}
            )
            return redirect(reverse("dossier", kwargs={"pk": challenge.pk}) + f"#{part.key}")
    return render(
        request,
        "ateliers/dossier_section_form.html",
        {"challenge": challenge, "section": part, "form": form},
    )


def _budget_edit(request: HttpRequest, challenge: Challenge, part: dossier.Section) -> HttpResponse:
    """The budget table: existing lines (edit, reorder, delete) and blank rows to add
    some, and the budget's details, saved together in one transaction."""
    data = request.POST if request.method == "POST" else None
    formset = budget_formset(data, challenge)
    comment = BudgetCommentForm(data, instance=challenge, prefix="budget")
    error = None
    if data is not None and formset.is_valid() and comment.is_valid():
        try:
            dossier.budget_save(
                user=request.user,
                challenge_id=challenge.pk,
                lines=formset.lines(),
                comment=comment.cleaned_data["budget_comment"],
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Budget prévisionnel enregistré."))
            if "continuer" in request.POST:
                return redirect("dossier_section", pk=challenge.pk, section=part.key)
            return redirect(reverse("dossier", kwargs={"pk": challenge.pk}) + f"#{part.key}")
    lines = list(challenge.budget_lines.all())
    return render(
        request,
        "ateliers/dossier_budget_form.html",
        {
            "challenge": challenge,
            "section": part,
            "formset": formset,
            "comment_form": comment,
            "error": error,
            "budget_rows": _budget_rows(lines),
            "budget": dossier.summarise_lines(lines),
        },
    )
