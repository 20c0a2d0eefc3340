"""Where people can meet in person, stored on a sign-up and on a circle."""

from django.db import models

from circles import domain


class MeetingPlace(models.Model):
    """A meeting point's columns, read and written as a `domain.Place`."""

    place_name = models.CharField("meeting place", max_length=200, blank=True)
    place_latitude = models.FloatField(null=True, blank=True)
    place_longitude = models.FloatField(null=True, blank=True)
    place_city = models.CharField("city", max_length=100, blank=True)
    place_country_code = models.CharField(max_length=2, blank=True)

    class Meta:
        abstract = True

    @property
    def place(self) -> domain.Place | None:
        if self.place_latitude is None or self.place_longitude is None:
            return None
        return domain.Place(
            name=self.place_name,
            latitude=self.place_latitude,
            longitude=self.place_longitude,
            city=self.place_city,
            country_code=self.place_country_code,
        )

    def set_place(self, place: domain.Place | None) -> None:
        """Copy the place onto the row (not saved), each text cut to its column; None clears it."""
        texts = {
            "place_name": place.name if place else "",
            "place_city": place.city if place else "",
            "place_country_code": place.country_code if place else "",
        }
        for name, value in texts.items():
            setattr(self, name, value[: self._meta.get_field(name).max_length])
        self.place_latitude = place.latitude if place else None
        self.place_longitude = place.longitude if place else None
