"""The two forms a participant meets: the join code, then the optional profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ateliers.forms import DsfrForm
from ateliers.models import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS
from participation.models import Profile


class JoinCodeForm(DsfrForm):
    code = forms.CharField(
        label=_("Code de l'atelier"),
        max_length=16,
        help_text=_("Le code affiché à l'écran, par exemple ACD-467."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


PROFILE_CHOICES = [
    *((value, label) for value, label in Profile.choices if value != Profile.UNSPECIFIED),
    (Profile.UNSPECIFIED.value, _("Je préfère ne pas le dire")),
]


class ProfileForm(DsfrForm):
    """Every field is optional (docs/privacy.md): a blank profile is "non renseigné"."""

    profile = forms.ChoiceField(
        label=_("Vous participez en tant que"),
        choices=PROFILE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Facultatif : sert à montrer, de façon agrégée, qui a contribué."),
    )
    display_name = forms.CharField(
        label=_("Nom ou pseudo affiché"),
        max_length=60,
        required=False,
        help_text=_("Laissez vide pour contribuer anonymement."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=120, required=False)
    territory = forms.CharField(
        label=_("Territoire"),
        max_length=120,
        required=False,
        help_text=_("Commune ou département, si vous le souhaitez."),
    )

    def clean_profile(self) -> str:
        return self.cleaned_data.get("profile") or Profile.UNSPECIFIED


class EraseForm(DsfrForm):
    """Erasing is final: the person ticks that they understand it."""

    confirm = forms.BooleanField(
        label=_(
            "Je comprends que mes contributions, mes votes et mes données seront "
            "définitivement effacés de cet atelier."
        ),
        required=True,
    )


class RetentionForm(DsfrForm):
    days = forms.IntegerField(
        label=_("Conservation des données personnelles (jours après la clôture)"),
        min_value=MIN_RETENTION_DAYS,
        max_value=MAX_RETENTION_DAYS,
        help_text=_(
            "Ensuite, noms, organisations, territoires et le lien entre chaque personne et "
            "ses contributions sont effacés ; les chiffres agrégés restent. "
            "Entre %(min)d et %(max)d jours."
        )
        % {"min": MIN_RETENTION_DAYS, "max": MAX_RETENTION_DAYS},
    )
