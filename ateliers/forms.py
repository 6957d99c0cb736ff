"""Forms for the facilitator's and project lead's pages, rendered with the DSFR."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from ateliers.agenda_templates import (
    DEFAULT_STAGES,
    DEFAULT_TEMPLATE,
    MAX_COLUMNS,
    MAX_STAGES,
    TEMPLATES,
    default_lanes,
)
from ateliers.dossier import (
    LIST_FIELDS,
    NO_PRIOR_ACTIONS,
    BudgetLineInput,
    Section,
    has_no_prior_actions,
)
from ateliers.models import (
    MAX_NOTES_LIMIT,
    MAX_VOTES_PER_PERSON,
    ActivityKind,
    Challenge,
    Horizon,
    Identity,
    LaneKind,
    Method,
    VoteTarget,
    Workshop,
    WorkshopMode,
)


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
    """Creating a challenge: its title and maturity; the dossier's sections come after,
    each on its own page (ateliers.dossier.SECTIONS)."""

    class Meta:
        model = Challenge
        fields = ["title", "maturity"]


def _textareas(fields: tuple[str, ...]) -> dict[str, forms.Widget]:
    """A textarea for every long text field of the dossier (TextField in the model)."""
    return {
        name: forms.Textarea(attrs={"rows": 4})
        for name in fields
        if Challenge._meta.get_field(name).get_internal_type() == "TextField"
    }


ONE_PER_LINE = _("Une par ligne.")


def section_form_class(section: Section) -> type[DsfrModelForm]:
    """The form of one section of the dossier: its fields, as the model describes them.
    Never saved: the view hands its cleaned data to ateliers.dossier.challenge_update."""
    if section.key == "actions-menees":
        return PriorActionsForm
    help_texts = {name: ONE_PER_LINE for name in section.fields if name in LIST_FIELDS}
    return forms.modelform_factory(
        Challenge,
        form=DsfrModelForm,
        fields=list(section.fields),
        widgets=_textareas(section.fields),
        help_texts=help_texts,
    )


class PriorActionsForm(DsfrModelForm):
    """Prior actions and lessons learned, or an explicit "none" (the call asks for them
    only "le cas échéant"): then ateliers.dossier.NO_PRIOR_ACTIONS is stored."""

    no_prior_actions = forms.BooleanField(
        label=_("Aucune action n'a été menée avant ce défi"),
        required=False,
        help_text=_("Cochez cette case plutôt que de laisser les champs vides."),
    )

    class Meta:
        model = Challenge
        fields = ["prior_actions", "lessons_learned"]
        widgets = _textareas(("prior_actions", "lessons_learned"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and has_no_prior_actions(self.instance) and not self.is_bound:
            self.initial["no_prior_actions"] = True
            self.initial["prior_actions"] = ""
        self.order_fields(["no_prior_actions", "prior_actions", "lessons_learned"])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("no_prior_actions"):
            typed = [
                name for name in ("prior_actions", "lessons_learned") if data.get(name, "").strip()
            ]
            if typed:
                self.add_error(
                    "no_prior_actions",
                    _(
                        "Vous avez coché « aucune action » mais décrit des actions : "
                        "décochez la case ou videz les champs."
                    ),
                )
            else:
                data["prior_actions"] = NO_PRIOR_ACTIONS
                data["lessons_learned"] = ""
        return data


class EurosField(forms.DecimalField):
    """An amount in euros as people type it in French: "1 500,50" (spaces, also
    non-breaking, between thousands; a comma or a dot before the cents)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(min_value=0, max_digits=12, decimal_places=2, localize=True, **kwargs)

    def to_python(self, value: object) -> Decimal | None:
        if value in self.empty_values:
            return None
        text = "".join(str(value).split()).replace(",", ".")  # split() drops nbsp too
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BudgetLineForm(DsfrForm):
    """One line of the provisional budget, as a row of the budget table."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("Poste de dépense"), max_length=200)
    amount = EurosField(label=_("Montant (€)"))
    self_financed = EurosField(label=_("Dont autofinancement (€)"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        amount, own = data.get("amount"), data.get("self_financed")
        if own is None:
            data["self_financed"] = Decimal(0)
        elif amount is not None and own > amount:
            self.add_error(
                "self_financed",
                _(
                    "L'autofinancement (%(own)s €) ne peut pas dépasser le montant de la "
                    "ligne (%(amount)s €)."
                )
                % {"own": floatformat(own, "2g"), "amount": floatformat(amount, "2g")},
            )
        return data


class BaseBudgetLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[BudgetLineInput]:
        """The lines to keep, in the order asked (ORDER), blank new rows left out."""
        return [
            BudgetLineInput(
                id=form.cleaned_data.get("id"),
                label=form.cleaned_data["label"],
                amount=form.cleaned_data["amount"],
                self_financed=form.cleaned_data["self_financed"],
            )
            for form in self.ordered_forms
            if form.has_changed() or form.cleaned_data.get("id")
        ]


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm,
    formset=BaseBudgetLineFormSet,
    extra=2,
    can_delete=True,
    can_order=True,
    max_num=100,
    validate_max=True,
)


def budget_formset(data: dict | None, challenge: Challenge) -> BaseBudgetLineFormSet:
    """The budget table of `challenge`, its existing lines first, then two blank rows."""
    initial = [
        {
            "id": line.pk,
            "label": line.label,
            "amount": line.amount,
            "self_financed": line.self_financed,
            "ORDER": n,
        }
        for n, line in enumerate(challenge.budget_lines.all(), start=1)
    ]
    formset = BudgetLineFormSet(data, initial=initial, prefix="lignes")
    for form in formset:
        form.fields["ORDER"].label = _("Ordre")
        form.fields["ORDER"].widget.attrs.update({"class": "fr-input", "min": 1})
        form.fields["DELETE"].label = _("Supprimer")
    return formset


class BudgetCommentForm(DsfrModelForm):
    class Meta:
        model = Challenge
        fields = ["budget_comment"]
        widgets = _textareas(("budget_comment",))


# Methods a workshop's activities already imply (ateliers.evidence derives them):
# offering them here too would only let people tag them twice.
DERIVED_METHODS = frozenset({Method.IDEATION, Method.DOT_VOTING, Method.RATING})
EXTRA_METHOD_CHOICES = [(m.value, m.label) for m in Method if m not in DERIVED_METHODS]


class WorkshopFactsForm(DsfrForm):
    """What a workshop is, where and when, and how: the facts its evidence quotes."""

    title = forms.CharField(label=_("Titre de l'atelier"), max_length=200)
    place = forms.CharField(
        label=_("Lieu"),
        max_length=200,
        required=False,
        help_text=_("Ex. salle du conseil, préfecture de Nevers ; ou l'outil de visioconférence"),
    )
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    mode = forms.ChoiceField(
        label=_("Format"),
        choices=WorkshopMode.choices,
        initial=WorkshopMode.IN_PERSON,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("En présentiel si rien n'est choisi."),
    )
    extra_methods = forms.MultipleChoiceField(
        label=_("Autres méthodes employées"),
        choices=EXTRA_METHOD_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Les méthodes des activités du déroulé (idéation, vote par points, matrice) "
            "sont comptées d'office."
        ),
    )

    def clean_mode(self) -> str:
        return self.cleaned_data.get("mode") or WorkshopMode.IN_PERSON

    @classmethod
    def initial_for(cls, workshop: Workshop) -> dict:
        return {
            "title": workshop.title,
            "place": workshop.place,
            "starts_at": workshop.starts_at,
            "mode": workshop.mode,
            "extra_methods": list(workshop.extra_methods),
        }


class WorkshopForm(WorkshopFactsForm):
    """Creating a workshop: its facts, and the agenda it starts from."""

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


class JourneyActivityForm(DsfrForm):
    """A journey map's frame, stages and lanes (ateliers.journey_maps checks the rules).

    Stages are typed one per line, in their order: moving a line moves the stage, and a
    renamed line keeps its cards. Each lane has its label and an "open" box; one more,
    empty, adds a lane."""

    title = forms.CharField(label=_("Titre de l'activité"), max_length=200)
    prompt = forms.CharField(label=_("Consigne"), max_length=300, required=False)
    persona = forms.CharField(
        label=_("Qui voyage ?"),
        max_length=200,
        required=False,
        help_text=_("Ex. « Une allocataire de 58 ans qui n'a pas d'ordinateur »."),
    )
    scenario = forms.CharField(
        label=_("Vers quel but ?"),
        max_length=300,
        required=False,
        help_text=_("Ex. « Renouveler ses droits avant la fin du mois »."),
    )
    horizon = forms.ChoiceField(
        label=_("Parcours"),
        choices=Horizon.choices,
        initial=Horizon.AS_IS,
        widget=forms.RadioSelect,
    )
    pair_id = forms.TypedChoiceField(
        label=_("Comparer avec le parcours"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Un parcours souhaité se compare au parcours actuel : les deux courbes côte à côte."
        ),
    )
    stages = forms.CharField(
        label=_("Étapes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Une par ligne, dans l'ordre du parcours (de 2 à %(n)d).") % {"n": MAX_STAGES},
    )
    identity = forms.ChoiceField(
        label=_("Signature des cartes"),
        choices=Identity.choices,
        initial=Identity.ANONYMOUS,
        widget=forms.RadioSelect,
    )
    private = forms.BooleanField(
        label=_("Mode privé : cartes masquées jusqu'à leur révélation"), required=False
    )
    max_notes = forms.IntegerField(
        label=_("Cartes par personne au plus"), min_value=1, max_value=MAX_NOTES_LIMIT, initial=30
    )

    def __init__(self, *args, workshop, activity=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        others = workshop.activities.filter(kind=ActivityKind.JOURNEY).order_by("position")
        if activity is not None:
            others = others.exclude(pk=activity.pk)
        self.fields["pair_id"].choices = [("", _("Aucun"))] + [
            (a.pk, f"{a.position}. {a.title}") for a in others
        ]
        self.lanes = list(activity.lanes if activity else default_lanes())
        extra = {"key": "", "label": "", "kind": LaneKind.OTHER, "enabled": True}
        for n, lane in enumerate([*self.lanes, extra]):
            self.fields[f"lane_{n}_label"] = forms.CharField(
                label=_("Ligne %(n)d (%(kind)s)")
                % {"n": n + 1, "kind": LaneKind(lane["kind"]).label}
                if lane["key"]
                else _("Ajouter une ligne"),
                max_length=40,
                required=False,
                initial=lane["label"],
            )
            self.fields[f"lane_{n}_enabled"] = forms.BooleanField(
                label=_("Ligne ouverte aux cartes"), required=False, initial=lane["enabled"]
            )
        self.lanes.append(extra)

    def clean(self) -> dict:
        data = super().clean()
        lanes = []
        for n, lane in enumerate(self.lanes):
            label = data.pop(f"lane_{n}_label", "") or ""
            enabled = data.pop(f"lane_{n}_enabled", False)
            if not lane["key"] and not label.strip():
                continue  # the empty extra line
            lanes.append({**lane, "label": label, "enabled": enabled})
        data["lanes"] = lanes
        data["stages"] = [
            line.strip() for line in data.get("stages", "").splitlines() if line.strip()
        ]
        return data

    @classmethod
    def initial_for(cls, activity) -> dict:
        return {
            "title": activity.title,
            "prompt": activity.prompt,
            "persona": activity.persona,
            "scenario": activity.scenario,
            "horizon": activity.horizon,
            "pair_id": activity.pair_id,
            "stages": "\n".join(c["label"] for c in activity.columns),
            "identity": activity.identity,
            "private": activity.private,
            "max_notes": activity.max_notes,
        }

    @classmethod
    def initial_new(cls) -> dict:
        return {"stages": "\n".join(DEFAULT_STAGES)}
