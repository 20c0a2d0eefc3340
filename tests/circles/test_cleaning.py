"""Cleaning of sign-ups: a table of messy inputs and what each must resolve to, and the sample rows."""

import json
from datetime import date
from pathlib import Path

import pytest

from circles.cleaning import CONFIDENCE_THRESHOLD, availability_slots, clean_signups, normalise
from circles.domain import Format, Gender

WINTER = date(2027, 1, 12)  # a Tuesday: standard time in North America and Europe
SUMMER = date(2027, 7, 13)  # a Tuesday: daylight saving time in North America and Europe
SAMPLES = Path(__file__).parent / "data" / "circle-signups-200.jsonl"
TUESDAY_EVENING = [{"day": "Tue", "start": "18:00", "end": "20:00"}]


def clean_one(first_meeting: date = WINTER, aliases=None, **fields):
    row = {
        "id": "p1",
        "name": "Ana Silva",
        "email": "ana@example.com",
        "availability": TUESDAY_EVENING,
        **fields,
    }
    report = clean_signups([row], first_meeting=first_meeting, aliases=aliases)
    return report.signups[0], report.records[0]


def slot(day: int, hour: int, minute: int = 0) -> int:
    return day * 48 + hour * 2 + minute // 30


@pytest.mark.parametrize(
    ("city", "area", "meeting_point"),
    [
        ("SF", "", "San Francisco"),
        ("S.F.", "near FiDi", "San Francisco: Financial District"),
        ("San Francisco, CA", "Caltrain 4th/King", "San Francisco: Caltrain 4th & King"),
        ("san fran", "Montgomery St BART", "San Francisco: Montgomery St BART"),
        ("San Fransisco", "Mission", "San Francisco: Mission District"),
        ("Bay Area", "Palo Alto Caltrain", "Palo Alto: Palo Alto Caltrain"),
        ("Bay Area", "Mountain View", "Mountain View"),
        ("LDN", "near Kings X", "London: King's Cross"),
        ("London, UK", "city centre", "London"),
        ("Lodnon", "", "London"),
        ("NYC", "Grand Central", "New York City: Grand Central"),
        ("new york", "FiDi", "New York City: Financial District"),
        ("NYC area", "near Jersey City", "Jersey City"),
        ("Brooklyn, NY", "DUMBO", "Brooklyn: DUMBO"),
        ("Tel-Aviv", "", "Tel Aviv"),
        ("Bogotá", "", "Bogotá"),
        ("bogota", "Chapinero", "Bogotá: Chapinero"),
        ("Berlin", "Kotti", "Berlin: Kottbusser Tor"),
        ("BER", "near Mitte", "Berlin: Mitte"),
        ("", "Kottbusser Tor", "Berlin: Kottbusser Tor"),
        ("A'dam", "Zuidas", "Amsterdam: Zuidas"),
        ("Cambridge, MA", "Kendall Sq", "Cambridge: Kendall Square"),
        ("Eastside", "Downtown Bellevue", "Bellevue: Downtown Bellevue"),
        ("Toronto, ON", "King West", "Toronto: King West"),
        ("Austin, TX", "Downtown", "Austin"),
        ("Kraków", "downtown", "Kraków"),
        (
            "berin",
            "Alex",
            "Berlin: Alexanderplatz",
        ),  # not Burien, Washington, which "Berin" also names
        ("Bangaore", "Koramangala", "Bengaluru: Koramangala"),  # a slip of another name of the city
        ("Lissboa", "", "Lisbon"),
        ("Greatre London", "near Docklands", "London: Canary Wharf"),
        ("Brooklyn", "downtown", "Brooklyn: Downtown Brooklyn"),
        ("Toronto", "", "Toronto"),
        ("The Hague", "", "The Hague"),  # a city whose name starts with "the", not a metro
        ("Porto", "", "Porto"),  # not Bordeaux, which geonames also calls Porto
        ("Santa Clara", "", "Santa Clara: Santa Clara Caltrain"),  # the Bay Area's, not Cuba's
        ("Shoreditch", "", "London: Shoreditch"),  # a neighbourhood written as the city
        ("SoMa", "", "San Francisco: SoMa"),  # not Soma in Turkey
        (
            "Cambridge",
            "Kendall Square",
            "Cambridge: Kendall Square",
        ),  # the area tells which Cambridge
    ],
)
def test_it_resolves_places_and_meeting_areas_to_a_meeting_point(city, area, meeting_point):
    signup, record = clean_one(city=city, meeting_area=area, format_preference="in person")
    assert signup.place is not None, record.problems
    assert signup.place.name == meeting_point
    assert record.fields["meeting_area"].confidence >= CONFIDENCE_THRESHOLD


def test_a_meeting_point_has_coordinates_its_city_and_country():
    signup, record = clean_one(city="Perth, WA", meeting_area="")
    assert signup.place.city == "Perth"
    assert signup.place.country_code == "AU"
    assert signup.place.latitude == pytest.approx(-31.95, abs=0.1)
    assert record.fields["place"].value == "Perth, AU"


@pytest.mark.parametrize(
    ("city", "place", "timezone"),
    [
        ("Valencia", "Valencia, ES", "Europe/Madrid"),  # not the barely larger one in Venezuela
        ("valencia ", "Valencia, ES", "Europe/Madrid"),
        ("Valencia, Venezuela", "Valencia, VE", "America/Caracas"),
        ("Valencia, CA", "Valencia, US", "America/Los_Angeles"),
        ("Barcelona", "Barcelona, ES", "Europe/Madrid"),
        ("Birmingham", "Birmingham, GB", "Europe/London"),
        ("Portland", "Portland, US", "America/Los_Angeles"),
    ],
)
def test_a_city_name_alone_is_the_namesake_people_mean(city, place, timezone):
    signup, record = clean_one(city=city, meeting_area="")
    assert record.fields["place"].value == place
    assert signup.timezone == timezone


def test_a_city_centre_is_a_less_certain_meeting_point_than_a_named_area():
    _, centre = clean_one(city="San Francisco", meeting_area="")
    _, area = clean_one(city="San Francisco", meeting_area="Embarcadero")
    assert centre.fields["meeting_area"].confidence < area.fields["meeting_area"].confidence


@pytest.mark.parametrize(
    "city", ["Bay Area", "sf bay area", "SF Bay Area ", "Greater London", "Seattle area"]
)
def test_a_metro_area_is_not_a_meeting_point(city):
    signup, record = clean_one(city=city, meeting_area="", format_preference="in person")
    assert signup.place is None
    assert "a metro area is not a meeting point" in record.problems
    assert signup.timezone  # the metro still tells the timezone


@pytest.mark.parametrize(
    ("city", "area", "problem"),
    [
        ("Cambridge", "", "not sure"),  # England or Massachusetts: as many people in each
        ("", "Union Square", "several cities"),  # San Francisco or New York
        ("Xyzzyville", "", "not recognised"),
        ("Earth", "", "not recognised"),  # one letter from Perth is too far for a short word
        ("Springfield", "", "not sure"),
        ("Bay Area", "downtown", "a metro area is not a meeting point"),
        ("Bay Area", "the cafe near my office", "not one we know"),
    ],
)
def test_it_refuses_to_guess_a_meeting_point_it_is_unsure_of(city, area, problem):
    signup, record = clean_one(city=city, meeting_area=area, format_preference="in person")
    assert signup.place is None
    assert any(problem in p for p in record.problems), record.problems


def test_a_city_centre_is_its_downtown_rather_than_the_gazetteers_middle_of_the_city():
    signup, _ = clean_one(city="Toronto, ON", meeting_area="")
    assert (signup.place.latitude, signup.place.longitude) == pytest.approx(
        (43.653, -79.383), abs=0.01
    )


@pytest.mark.parametrize("city", ["Bay Araa", "Seattle aera"])
def test_a_misspelt_metro_is_still_a_metro(city):
    signup, record = clean_one(city=city, format_preference="in person")
    assert signup.place is None
    assert "a metro area is not a meeting point" in record.problems


@pytest.mark.parametrize("city", ["Remote", "anywhere", "N/A", "Remte"])
def test_a_remote_person_has_no_place_and_no_problem_when_they_want_video(city):
    signup, record = clean_one(city=city, format_preference="video", timezone="Europe/Berlin")
    assert signup.place is None
    assert record.problems == []


@pytest.mark.parametrize(
    ("raw", "city", "first_meeting", "timezone", "offset"),
    [
        ("America/Los_Angeles", "", WINTER, "America/Los_Angeles", -480),
        ("America/Los_Angeles", "", SUMMER, "America/Los_Angeles", -420),
        ("PST", "", WINTER, "America/Los_Angeles", -480),
        ("PST", "", SUMMER, "America/Los_Angeles", -420),  # people write PST all year round
        ("PT", "Vancouver", SUMMER, "America/Vancouver", -420),
        ("Pacific", "", WINTER, "America/Los_Angeles", -480),
        ("ET", "", WINTER, "America/New_York", -300),
        ("Eastern", "", SUMMER, "America/New_York", -240),
        ("EST", "", SUMMER, "America/New_York", -240),
        ("Europe/Berlin", "", WINTER, "Europe/Berlin", 60),
        ("Europe/Berlin", "", SUMMER, "Europe/Berlin", 120),
        ("CET", "Paris", SUMMER, "Europe/Paris", 120),
        ("MEZ", "", WINTER, "Europe/Berlin", 60),
        ("Central European", "", SUMMER, "Europe/Berlin", 120),
        ("IST", "Bengaluru", SUMMER, "Asia/Kolkata", 330),
        ("IST", "Dublin", SUMMER, "Europe/Dublin", 60),
        ("UK time", "", SUMMER, "Europe/London", 60),
        ("GMT", "London", SUMMER, "Europe/London", 60),
        ("GMT+1", "", SUMMER, "Etc/GMT-1", 60),  # Etc/GMT signs are inverted
        ("UTC-08:00", "", SUMMER, "Etc/GMT+8", -480),
        ("UTC-8", "San Francisco", SUMMER, "America/Los_Angeles", -420),
        ("", "Berlin", SUMMER, "Europe/Berlin", 120),
        ("", "Bay Area", WINTER, "America/Los_Angeles", -480),
        ("", "Sydney", SUMMER, "Australia/Sydney", 600),
        ("", "Shoreditch", SUMMER, "Europe/London", 60),
        ("", "Cambridge, MA", WINTER, "America/New_York", -300),
        ("America/Los_Angeels", "", WINTER, "America/Los_Angeles", -480),
    ],
)
def test_it_resolves_timezones_at_the_first_meeting_date(
    raw, city, first_meeting, timezone, offset
):
    signup, record = clean_one(first_meeting=first_meeting, timezone=raw, city=city)
    assert (signup.timezone, signup.utc_offset_minutes) == (timezone, offset), record.fields[
        "timezone"
    ]


@pytest.mark.parametrize(("raw", "city"), [("IST", ""), ("Mars time", ""), ("", "")])
def test_it_refuses_to_guess_a_timezone_it_cannot_tell(raw, city):
    signup, record = clean_one(timezone=raw, city=city)
    assert signup.timezone == ""
    assert signup.slots == frozenset()
    assert record.problems


def test_availability_moves_with_daylight_saving_in_los_angeles_and_berlin():
    assert availability_slots(TUESDAY_EVENING, "Europe/Berlin", WINTER) == {
        slot(1, h, m) for h, m in [(17, 0), (17, 30), (18, 0), (18, 30)]
    }
    assert availability_slots(TUESDAY_EVENING, "Europe/Berlin", SUMMER) == {
        slot(1, h, m) for h, m in [(16, 0), (16, 30), (17, 0), (17, 30)]
    }
    # 18:00 on Tuesday in Los Angeles is already Wednesday in UTC
    assert availability_slots(TUESDAY_EVENING, "America/Los_Angeles", WINTER) == {
        slot(2, 2),
        slot(2, 2, 30),
        slot(2, 3),
        slot(2, 3, 30),
    }
    assert availability_slots(TUESDAY_EVENING, "America/Los_Angeles", SUMMER) == {
        slot(2, 1),
        slot(2, 1, 30),
        slot(2, 2),
        slot(2, 2, 30),
    }


def test_availability_late_on_sunday_wraps_to_the_start_of_the_utc_week():
    slots = availability_slots(
        [{"day": "Sun", "start": "23:00", "end": "24:00"}], "America/New_York", WINTER
    )
    assert slots == {slot(0, 4), slot(0, 4, 30)}


def test_bad_availability_entries_are_problems_not_crashes():
    availability = [
        {"day": "Funday", "start": "09:00", "end": "10:00"},
        "Mondays",
        {"day": "Mon", "start": "25:00", "end": "26:00"},
        {"day": "Mon", "start": "09:00", "end": "08:00"},
        {"day": "Wed", "start": "9:00", "end": "10:00"},
    ]
    signup, record = clean_one(availability=availability, timezone="Etc/UTC")
    assert signup.slots == {slot(2, 9), slot(2, 9, 30)}
    assert sum("availability entry" in p for p in record.problems) == 4


def test_companies_written_differently_share_one_key():
    companies = [
        "Google LLC",
        "Alphabet (Google)",
        "google",
        "Gooogle",
        "Microsoft Corp.",
        "MSFT",
        "Stripe, Inc.",
        "stripe",
        "Maplebear (Instacart)",
        "Instacart",
        "BoldWorks AI",
        "Bold Freight",
    ]
    rows = [
        {"id": f"p{i}", "company": c, "email": f"p{i}@example.com"} for i, c in enumerate(companies)
    ]
    keys = [s.company_key for s in clean_signups(rows, first_meeting=WINTER).signups]
    assert len(set(keys[:4])) == 1 and keys[0] == "google"
    assert keys[4] == keys[5] == "microsoft"
    assert keys[6] == keys[7] == "stripe"
    assert keys[8] == keys[9] == "instacart"
    assert keys[10] != keys[11]


def test_one_slip_in_a_company_name_is_the_same_company():
    companies = [
        "Microsoft",
        "Microosft",
        "Spotify AB",
        "Soptify",
        "Datadog",
        "Dtadog",
        "Deep Stack",
        "DeepStack",
        "Wise",
        "Wix",
    ]
    rows = [
        {"id": f"p{i}", "company": c, "email": f"p{i}@example.com"} for i, c in enumerate(companies)
    ]
    keys = [s.company_key for s in clean_signups(rows, first_meeting=WINTER).signups]
    assert keys[0] == keys[1] and keys[2] == keys[3] and keys[4] == keys[5] and keys[6] == keys[7]
    assert keys[8] != keys[9]  # short names one letter apart are different companies


@pytest.mark.parametrize(
    ("raw", "gender"),
    [
        ("W", Gender.WOMAN),
        ("F", Gender.WOMAN),
        ("woman ", Gender.WOMAN),
        ("Female", Gender.WOMAN),
        ("non binary", Gender.NON_BINARY),
        ("Non-Binary", Gender.NON_BINARY),
        ("NB", Gender.NON_BINARY),
        ("M", Gender.MAN),
        ("Man ", Gender.MAN),
        ("male", Gender.MAN),
        ("", Gender.NOT_STATED),
        (None, Gender.NOT_STATED),
        ("prefer not to say", Gender.NOT_STATED),
    ],
)
def test_it_reads_self_identified_gender(raw, gender):
    signup, record = clean_one(gender=raw)
    assert signup.gender == gender
    assert not any("gender" in p for p in record.problems)


@pytest.mark.parametrize("raw", ["she/her", "yes", "dunno", 42])
def test_it_never_guesses_a_gender_it_does_not_understand(raw):
    signup, record = clean_one(gender=raw)
    assert signup.gender == Gender.NOT_STATED
    assert any("gender" in p for p in record.problems)


@pytest.mark.parametrize(
    ("raw", "format_"),
    [
        ("In-person only", Format.IN_PERSON),
        ("in-person", Format.IN_PERSON),
        ("In person", Format.IN_PERSON),
        ("Remote / video", Format.VIDEO),
        ("video", Format.VIDEO),
        ("either is fine", Format.EITHER),
        ("No preference", Format.EITHER),
        ("Either", Format.EITHER),
        ("in person or video", Format.EITHER),
    ],
)
def test_it_reads_the_format_preference(raw, format_):
    signup, _ = clean_one(format_preference=raw)
    assert signup.format == format_


def test_the_same_email_in_another_case_is_one_person_and_the_latest_submission_wins():
    rows = [
        {"id": "a1", "name": "Ana Silva", "email": "Ana.Silva@Example.com", "city": "Berlin"},
        {"id": "b2", "name": "Bo Chen", "email": "bo@example.com"},
        {"id": "a3", "name": "Ana Silva", "email": "ana.silva@example.com ", "city": "London"},
    ]
    report = clean_signups(rows, first_meeting=WINTER)
    assert [s.id for s in report.signups] == ["b2", "a3"]
    assert report.signups[1].place.city == "London"
    assert report.records[0].duplicate_of == "a3"
    assert any("a3" in p for p in report.records[0].problems)  # the organizer sees it
    assert report.records[2].duplicate_of is None


def test_the_same_name_and_company_is_one_person_but_a_namesake_elsewhere_is_not():
    rows = [
        {"id": "a1", "name": "Ana Silva", "company": "Google LLC", "email": "ana@gmail.com"},
        {"id": "a2", "name": "ana  silva", "company": "google", "email": "ana.silva@google.com"},
        {"id": "a3", "name": "Ana Silva", "company": "Stripe", "email": "ana@stripe.com"},
    ]
    report = clean_signups(rows, first_meeting=WINTER)
    assert [s.id for s in report.signups] == ["a2", "a3"]
    assert report.records[0].duplicate_of == "a2"


def test_organizers_aliases_win_over_inference_with_full_confidence():
    aliases = {
        "place": {normalise("place", "The Big Smoke"): "London"},
        "meeting_area": {
            normalise("meeting_area", "SF: near the office"): "San Francisco: Financial District"
        },
        "timezone": {normalise("timezone", "IST"): "Asia/Kolkata"},
        "company": {normalise("company", "Acme Rockets EU"): "Acme"},
        "gender": {normalise("gender", "womxn"): "woman"},
        "format": {normalise("format", "whatever works"): "video"},
    }
    rows = [
        {
            "id": "p1",
            "city": "The Big Smoke",
            "timezone": "IST",
            "company": "Acme Rockets EU",
            "gender": "womxn",
            "format_preference": "whatever works",
            "availability": TUESDAY_EVENING,
        },
        {
            "id": "p2",
            "city": "SF",
            "meeting_area": "near the office",
            "company": "Acme Inc.",
            "availability": TUESDAY_EVENING,
        },
    ]
    report = clean_signups(rows, first_meeting=WINTER, aliases=aliases)
    first, second = report.signups
    assert first.place.city == "London"
    assert (first.timezone, first.gender, first.format) == (
        "Asia/Kolkata",
        Gender.WOMAN,
        Format.VIDEO,
    )
    assert first.company_key == second.company_key == "acme"
    assert second.place.name == "San Francisco: Financial District"
    fields = report.records[0].fields
    assert {fields[k].confidence for k in ("place", "timezone", "company", "gender", "format")} == {
        1.0
    }


def test_a_meeting_area_alias_for_one_city_does_not_move_people_of_another():
    aliases = {
        "meeting_area": {
            normalise("meeting_area", "Bellevue: downtown"): "Bellevue: Downtown Bellevue"
        }
    }
    rows = [
        {"id": "p1", "city": "Bellevue", "meeting_area": "downtown"},
        {"id": "p2", "city": "Seattle", "meeting_area": "downtown"},
    ]
    bellevue, seattle = clean_signups(rows, first_meeting=WINTER, aliases=aliases).signups
    assert bellevue.place.name == "Bellevue: Downtown Bellevue"
    assert seattle.place.name == "Seattle"


def test_an_organizer_can_add_a_meeting_point_of_their_own():
    aliases = {"meeting_area": {"pearl": "Boulder: Pearl Street @ 40.0176,-105.2797"}}
    signup, record = clean_one(aliases=aliases, city="Boulder", meeting_area="Pearl", timezone="")
    assert signup.place.name == "Boulder: Pearl Street"
    assert signup.place.latitude == pytest.approx(40.0176)
    assert signup.timezone == "America/Denver"
    assert record.fields["meeting_area"].confidence == 1.0


def test_normalise_ignores_case_accents_punctuation_and_near():
    assert normalise("place", "  Bogotá, D.C. ") == normalise("place", "bogota dc")
    assert normalise("meeting_area", "near FiDi") == "fidi"
    assert normalise("meeting_area", "SF, CA: Near Caltrain 4th/King") == "sf ca: caltrain 4th king"


def test_it_never_crashes_on_fields_of_the_wrong_type():
    rows = [
        {
            "id": "z1",
            "name": 5,
            "email": ["x"],
            "company": {"a": 1},
            "title": None,
            "role_kind": 7,
            "company_size": "huge",
            "org_size": "lots",
            "city": 12,
            "meeting_area": None,
            "timezone": 3.5,
            "format_preference": [],
            "availability": "Mondays",
            "gender": True,
            "underrepresented": "maybe",
        },
        {"id": "z2"},
        "not a row",
        {"id": "z4", "availability": [None, {"day": None}], "org_size": -3, "company_size": 12000},
    ]
    report = clean_signups(rows, first_meeting=WINTER)
    assert len(report.records) == 4
    assert all(record.problems for record in report.records)
    assert report.signups[-1].company_size == "5000+"


def test_seniority_ranks_ctos_and_leaders_of_large_groups_in_big_companies_highest():
    rows = [
        {"id": "cto", "role_kind": "CTO", "company_size": "1-50"},
        {"id": "vp", "role_kind": "VP Eng", "company_size": "5000+", "org_size": 300},
        {"id": "director", "role_kind": "Director", "company_size": "51-500", "org_size": 40},
        {"id": "staff", "role_kind": "", "title": "Staff SWE"},
        {"id": "unknown"},
    ]
    signups = {s.id: s for s in clean_signups(rows, first_meeting=WINTER).signups}
    assert [signups[i].seniority for i in ("cto", "vp", "director", "staff", "unknown")] == [
        3,
        3,
        2,
        1,
        0,
    ]
    assert signups["staff"].role_kind == "Staff+"


def test_it_cleans_the_sample_sign_ups_without_crashing_and_resolves_most_places():
    rows = [json.loads(line) for line in SAMPLES.read_text().splitlines() if line.strip()]
    report = clean_signups(rows, first_meeting=WINTER)
    assert len(report.records) == len(rows)
    assert len(report.signups) == len(rows) - 3  # three people submitted twice
    assert sum(1 for r in report.records if r.duplicate_of) == 3
    in_person = [s for s in report.signups if s.format != Format.VIDEO]
    assert sum(1 for s in in_person if s.place) >= 0.85 * len(in_person)
    assert sum(1 for s in report.signups if s.timezone) >= 0.97 * len(report.signups)
    assert sum(1 for s in report.signups if s.slots) >= 0.97 * len(report.signups)
    assert sum(1 for s in report.signups if s.company_key) == len(report.signups)
    assert len({s.company_key for s in report.signups}) < len({r["company"] for r in rows})
    assert {s.gender for s in report.signups} == set(Gender)


@pytest.mark.parametrize(
    ("field", "row", "value"),
    [
        ("place", {"city": "Bouldr CO"}, "Boulder, US"),
        (
            "meeting_area",
            {"city": "Boulder", "meeting_area": "the usual cafe"},
            "Boulder: Pearl Street @ 40.0176,-105.2797",
        ),
        ("timezone", {"timezone": "IST"}, "Asia/Jerusalem"),
        ("company", {"company": "Acme (EU branch)"}, "Acme"),
        ("gender", {"gender": "womxn"}, "woman"),
        ("format", {"format_preference": "depends"}, "in_person"),
    ],
)
def test_a_correction_keyed_by_a_fields_raw_text_is_applied_on_the_next_cleaning(field, row, value):
    _, before = clean_one(**row)
    key = normalise(field, before.fields[field].raw)
    _, after = clean_one(aliases={field: {key: value}}, **row)
    assert after.fields[field].confidence == 1.0
    assert after.fields[field].note.startswith("corrected by an organizer")


def test_a_timezone_far_from_the_place_is_kept_but_flagged():
    signup, record = clean_one(city="Berlin", timezone="America/New_York")
    assert signup.timezone == "America/New_York"
    assert any("does not match the place" in p for p in record.problems)


def test_every_zone_and_point_the_built_in_tables_name_exists():
    from circles.cleaning.places import area_table
    from circles.cleaning.timezones import NAMES, zone_info

    zones = {zone for family in NAMES.values() for zone in family if zone}
    zones |= {metro.timezone for metro in area_table().metros}
    assert all(zone_info(zone) for zone in zones), sorted(z for z in zones if not zone_info(z))
    for areas in area_table().areas.values():
        for places in areas.values():
            assert all(-90 <= p.latitude <= 90 and -180 <= p.longitude <= 180 for p in places)


def test_an_offset_no_zone_has_is_refused():
    signup, record = clean_one(timezone="UTC-13")
    assert signup.timezone == ""
    assert record.problems
