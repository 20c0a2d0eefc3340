"""Cleaning of learning-circle sign-ups (pure Python, no Django): places, meeting areas, timezones,
companies, genders, formats, availability, duplicates, and organizers' corrections (aliases).

Aliases map a kind to {normalise(kind, raw text): corrected value}; a correction always wins over
inference, with confidence 1.0. Values by kind:
- "place": a city the gazetteer knows ("Boulder", "Cambridge, MA"), a metro ("Bay Area"),
  "Name @ latitude,longitude" for a place of the organizer's own, or "" for "no place" (remote);
- "meeting_area": see `circles.cleaning.areas` ("San Francisco: Financial District",
  "Boulder: Pearl Street @ 40.0176,-105.2797", a nearby city, or "" to ignore the text);
- "timezone": an IANA name ("America/Los_Angeles");
- "company": the company's name as it should be keyed ("Google");
- "gender": "woman", "man", "non_binary" or "" (not stated);
- "format": "in_person", "video" or "either".
"""

from circles.cleaning.availability import availability_slots
from circles.cleaning.pipeline import clean_signups
from circles.cleaning.records import CONFIDENCE_THRESHOLD, CleaningReport, Inference, Record
from circles.cleaning.text import normalise

__all__ = [
    "CONFIDENCE_THRESHOLD",
    "CleaningReport",
    "Inference",
    "Record",
    "availability_slots",
    "clean_signups",
    "normalise",
]
