"""Forms for the facilitator's and project lead's pages, rendered with the DSFR."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from ateliers.agenda_templates import DEFAULT_TEMPLATE, MAX_COLUMNS, TEMPLATES
from ateliers.models import MAX_NOTES_LIMIT, MAX_VOTES_PER_PERSON, Challenge, Identity, VoteTarget


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
    template = forms.ChoiceField(
        label=_("Déroulé de départ"),
        choices=[(key, f"{t.label} — {t.description}") for key, t in TEMPLATES.items()],
        initial=DEFAULT_TEMPLATE,
        widget=forms.RadioSelect,
        help_text=_("Le déroulé reste modifiable avant et pendant l'atelier."),
    )
    prompt = forms.CharField(
        label=_("Question posée aux participant·es"),
        max_length=300,
        required=False,
        help_text=_(
            "Remplace la consigne de la première activité. "
            "Ex. « Qu'est-ce qui vous complique la démarche aujourd'hui ? »"
        ),
    )


class ActivityForm(DsfrForm):
    """An ideation board's wording and settings (ateliers.agenda checks the rules)."""

    title = forms.CharField(label=_("Titre de l'activité"), max_length=200)
    prompt = forms.CharField(label=_("Consigne"), max_length=300, required=False)
    columns = forms.CharField(
        label=_("Colonnes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Une par ligne (%(n)d au plus), ex. « Irritants » puis « Idées ». "
            "Laisser vide pour un tableau sans colonnes."
        )
        % {"n": MAX_COLUMNS},
    )
    identity = forms.ChoiceField(
        label=_("Signature des contributions"),
        choices=Identity.choices,
        initial=Identity.ANONYMOUS,
        widget=forms.RadioSelect,
        help_text=_("Annoncée aux participant·es avant qu'ils écrivent."),
    )
    private = forms.BooleanField(
        label=_("Mode privé : contributions masquées jusqu'à leur révélation"), required=False
    )
    reactions = forms.BooleanField(label=_("Autoriser les réactions +1"), required=False)
    max_notes = forms.IntegerField(
        label=_("Contributions par personne au plus"),
        min_value=1,
        max_value=MAX_NOTES_LIMIT,
        initial=10,
    )

    def clean_columns(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["columns"].splitlines() if line.strip()]

    @classmethod
    def initial_for(cls, activity) -> dict:
        return {
            "title": activity.title,
            "prompt": activity.prompt,
            "columns": "\n".join(c["label"] for c in activity.columns),
            "identity": activity.identity,
            "private": activity.private,
            "reactions": activity.reactions,
            "max_notes": activity.max_notes,
        }


class VoteActivityForm(DsfrForm):
    """A dot vote's or a rating's wording and rules (ateliers.agenda checks the rules)."""

    title = forms.CharField(label=_("Titre de l'activité"), max_length=200)
    prompt = forms.CharField(label=_("Consigne"), max_length=300, required=False)
    source_id = forms.TypedChoiceField(
        label=_("Éléments venant du tableau"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Les contributions visibles (ou les regroupements) de ce tableau, "
            "à l'ouverture du vote, sauf si vous en choisissez une sélection."
        ),
    )
    vote_target = forms.ChoiceField(
        label=_("Soumettre au vote"), choices=VoteTarget.choices, initial=VoteTarget.NOTES
    )
    votes_per_person = forms.IntegerField(
        label=_("Points par personne"), min_value=1, max_value=MAX_VOTES_PER_PERSON, initial=5
    )
    max_per_item = forms.IntegerField(
        label=_("Points au plus sur un même élément"),
        min_value=1,
        max_value=MAX_VOTES_PER_PERSON,
        initial=2,
    )
    private = forms.BooleanField(
        label=_("Résultats masqués jusqu'à leur révélation"), required=False, initial=True
    )
    anonymous_votes = forms.BooleanField(
        label=_("Votes anonymes"),
        required=False,
        initial=True,
        help_text=_("Personne ne pourra relier un vote à une personne, pas même l'animation."),
    )
    axis_x = forms.CharField(
        label=_("Premier axe (notation)"), max_length=40, initial="Impact", required=False
    )
    axis_y = forms.CharField(
        label=_("Second axe (notation)"), max_length=40, initial="Faisabilité", required=False
    )

    def __init__(self, *args, workshop, rating: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        boards = workshop.activities.filter(kind="ideation").order_by("position")
        self.fields["source_id"].choices = [("", _("Aucun (sélection à faire)"))] + [
            (a.pk, f"{a.position}. {a.title}") for a in boards
        ]
        if not rating:
            del self.fields["axis_x"], self.fields["axis_y"]

    @classmethod
    def initial_for(cls, activity) -> dict:
        return {
            "title": activity.title,
            "prompt": activity.prompt,
            "source_id": activity.source_id,
            "vote_target": activity.vote_target,
            "votes_per_person": activity.votes_per_person,
            "max_per_item": activity.max_per_item,
            "private": activity.private,
            "anonymous_votes": activity.anonymous_votes,
            "axis_x": activity.axis_x,
            "axis_y": activity.axis_y,
        }
