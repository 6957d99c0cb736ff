"""The two forms a participant meets: the join code, then the optional profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ateliers.forms import DsfrForm
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


class ProfileForm(DsfrForm):
    profile = forms.ChoiceField(
        label=_("Vous participez en tant que"),
        choices=Profile.choices,
        widget=forms.RadioSelect,
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
