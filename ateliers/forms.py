"""Forms for the facilitator's and project lead's pages, rendered with the DSFR."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from ateliers.models import Challenge


class DsfrForm(DsfrBaseForm):
    """A form rendered with django-dsfr, marking optional fields as the DSFR now asks.

    Sets the context flag directly instead of the transitional setting that
    django-dsfr warns about on every render.
    """

    def get_context(self) -> dict:
        context = super(DsfrBaseForm, self).get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class DsfrModelForm(DsfrForm, forms.ModelForm):
    """A ModelForm rendered with django-dsfr's field templates."""


class ChallengeForm(DsfrModelForm):
    class Meta:
        model = Challenge
        fields = [
            "title",
            "problem",
            "solutions",
            "context",
            "priority_reform",
            "impact_for_agents",
            "impact_for_users",
            "carrying_structure",
            "team",
            "innovation_skills",
            "reinforcement_needed",
            "partner_organisations",
            "territories",
            "prior_actions",
            "lessons_learned",
            "budget_total",
            "self_financing",
            "signatory_name",
            "signatory_level",
            "maturity",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "problem",
                "solutions",
                "context",
                "impact_for_agents",
                "impact_for_users",
                "team",
                "innovation_skills",
                "reinforcement_needed",
                "partner_organisations",
                "territories",
                "prior_actions",
                "lessons_learned",
            )
        }

    def clean(self) -> dict:
        data = super().clean()
        total, own = data.get("budget_total"), data.get("self_financing")
        if total is not None and own is not None and own > total:
            self.add_error(
                "self_financing", _("La part d'autofinancement dépasse le budget total.")
            )
        return data


class WorkshopForm(DsfrForm):
    title = forms.CharField(label=_("Titre de l'atelier"), max_length=200)
    place = forms.CharField(
        label=_("Lieu"), max_length=200, required=False, help_text=_("Ou « en ligne »")
    )
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    prompt = forms.CharField(
        label=_("Question posée aux participant·es"),
        max_length=300,
        required=False,
        help_text=_("Ex. « Qu'est-ce qui vous complique la démarche aujourd'hui ? »"),
    )
