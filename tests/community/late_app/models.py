from django.db import models


class Booking(models.Model):
    starts_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Booking at {self.starts_at}"
