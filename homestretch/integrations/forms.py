import zoneinfo

from django import forms

from .models import NotificationSettings


def time_zone_choices() -> list[tuple[str, str]]:
    return [("", "The organisation's time zone")] + [(name, name) for name in sorted(zoneinfo.available_timezones())]


class NotificationSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, required=False)

    class Meta:
        model = NotificationSettings
        fields = ["digest_enabled", "digest_hour", "time_zone", "by_email", "by_chat"]
        widgets = {"digest_hour": forms.Select(choices=[(h, f"{h:02d}:00") for h in range(24)])}
