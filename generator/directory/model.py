"""The directory's data model, declared once.

Validation of each file, the JSON Schemas in ``schemas/`` and the README's field reference are
all derived from these classes; a rule that a schema cannot say (references between files,
cycles, membership) lives in :mod:`generator.directory.validate`.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date
from functools import cache, partial
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    RootModel,
    WithJsonSchema,
    model_validator,
)

from generator.directory.values import (
    EMAIL_PATTERN,
    GITHUB_PATTERN,
    GITLAB_PATTERN,
    LONG_TEXT_PATTERN,
    ONE_LINE_PATTERN,
    URL_PATTERN,
    check_email,
    check_github,
    check_gitlab,
    check_long_text,
    check_one_line,
    check_url,
    refusal,
)

HANDLE_PATTERN = r"^[a-z0-9][a-z0-9-]{1,39}$"
# ``index`` and ``page-<n>`` are the names of the site's listing pages (people/index.md,
# people/page-2.md): a person or group by that name would overwrite one of them.
RESERVED_PATTERN = r"^(index|page-[0-9]+)$"
RESERVED_HANDLES = "'index' and 'page-<number>' name the site's listing pages"
LEVELS = ("notions", "intermediate", "advanced", "expert")
DEFAULT_LEVEL: Literal["intermediate"] = "intermediate"
GROUP_TYPES = ("company", "department", "team", "project", "site", "community", "interest")
CONTACT_KINDS = ("email", "chat", "github", "gitlab", "phone", "linkedin", "website")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")

HANDLE_RE = re.compile(HANDLE_PATTERN)
RESERVED_RE = re.compile(RESERVED_PATTERN)
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# [0-9], not \d: Python's \d takes any script's digits, the schemas' engines only ASCII ones.
_TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


# --- value checks ---------------------------------------------------------------------------


def _check_handle(value: str) -> str:
    if RESERVED_RE.fullmatch(value):
        raise refusal("handle", "'{value}' is reserved: {reserved}; choose another handle", value=value, reserved=RESERVED_HANDLES)
    if not HANDLE_RE.fullmatch(value):
        raise refusal(
            "handle", "'{value}' is not a valid handle: use 2 to 40 lowercase letters (a-z), digits and '-', starting with a letter or digit", value=value
        )
    return value


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        if _DATE_RE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise refusal("date", "'{value}' is not a valid date: write it as YYYY-MM-DD (ISO 8601), e.g. 2024-01-05", value=value)
    return value


def _check_time(value: str) -> str:
    if not _TIME_RE.fullmatch(value):
        raise refusal("time", "'{value}' is not a time of day: write it as HH:MM in quotes, e.g. \"12:30\"", value=value)
    return value


def _check_language(value: str) -> str:
    if value in language_codes():
        return value
    hint = _three_letter_codes().get(value.lower()) or _language_by_name().get(value.casefold())
    if hint:
        raise refusal("language", "unknown language code '{value}'; did you mean '{hint}'?", value=value, hint=hint)
    raise refusal("language", "unknown language code '{value}'; use ISO 639-1 two-letter codes such as fr, en, de", value=value)


def _check_timezone(value: str) -> str:
    if value not in _timezones():
        raise refusal("timezone", "unknown time zone '{value}': use an IANA name such as Europe/Paris", value=value)
    return value


def _check_photo(value: str) -> str:
    check_one_line(value)
    if value.lower().startswith("https://"):
        return check_url(value)
    parts = value.split("/")
    if parts[0] != "photos" or len(parts) < 2 or any(part in ("", ".", "..") for part in parts) or "\\" in value:
        raise refusal("photo", "photo '{value}' must be a file under photos/ (e.g. photos/jdupont.jpg) or an https:// address", value=value)
    if not value.lower().endswith(PHOTO_SUFFIXES):
        raise refusal("photo", "photo '{value}' must be a .jpg, .jpeg, .png, .webp, .gif or .avif image", value=value)
    return value


def _contact_from_text(value: Any) -> Any:
    return {"value": value} if isinstance(value, str) else value


def _skill_from_text(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


def _drop_empty(data: Any, fields: dict[str, Any]) -> Any:
    # An empty value (``team:`` with nothing after it) means the field is not set. An unknown
    # key stays, empty or not, to be reported: ``{place: Paris, salle Ampère}`` has one.
    # Most mappings have no empty value: told at C's speed, and given back as they are.
    if isinstance(data, dict) and None in data.values():
        return {key: value for key, value in data.items() if value is not None or key not in fields}
    return data


@cache
def language_codes() -> frozenset[str]:
    """The ISO 639-1 codes (two letters) that Babel can name."""
    from babel import Locale

    return frozenset(str(code) for code in Locale("en").languages if len(str(code)) == 2)


def _three_letter_codes() -> dict[str, str]:
    return {"fra": "fr", "fre": "fr", "eng": "en", "deu": "de", "ger": "de", "spa": "es", "ita": "it", "por": "pt", "nld": "nl"}


@cache
def _language_by_name() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for ui in ("en", "fr"):
        for code, name in Locale(ui).languages.items():
            if len(code) == 2:
                names.setdefault(name.casefold(), code)
    return names


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


# --- reusable field types -------------------------------------------------------------------

# One line of text: no line break, control or invisible character (see generator.directory.values).
Text = Annotated[
    str,
    Field(min_length=1, max_length=200),
    AfterValidator(check_one_line),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 200, "pattern": ONE_LINE_PATTERN}),
]
# Markdown over several lines: line breaks and tabs, no other control or invisible character.
LongText = Annotated[
    str,
    Field(min_length=1, max_length=10_000),
    AfterValidator(check_long_text),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 10_000, "pattern": LONG_TEXT_PATTERN}),
]
Handle = Annotated[str, AfterValidator(_check_handle), WithJsonSchema({"type": "string", "pattern": HANDLE_PATTERN})]
Slug = Handle
IsoDate = Annotated[date, BeforeValidator(_parse_date), WithJsonSchema({"type": "string", "format": "date"})]
TimeOfDay = Annotated[str, AfterValidator(_check_time), WithJsonSchema({"type": "string", "pattern": _TIME_RE.pattern})]
LanguageCode = Annotated[str, AfterValidator(_check_language), WithJsonSchema({"type": "string", "pattern": "^[a-z]{2}$"})]
Timezone = Annotated[str, AfterValidator(_check_timezone)]
Email = Annotated[str, AfterValidator(check_email), WithJsonSchema({"type": "string", "format": "email", "pattern": EMAIL_PATTERN})]
Url = Annotated[str, AfterValidator(check_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": URL_PATTERN})]
Photo = Annotated[str, AfterValidator(_check_photo), WithJsonSchema({"type": "string", "pattern": ONE_LINE_PATTERN})]
GitHubLogin = Annotated[str, AfterValidator(check_github), WithJsonSchema({"type": "string", "pattern": GITHUB_PATTERN})]
GitLabLogin = Annotated[str, AfterValidator(check_gitlab), WithJsonSchema({"type": "string", "pattern": GITLAB_PATTERN})]
Level = Literal["notions", "intermediate", "advanced", "expert"]
Kind = Literal["employee", "contractor", "partner"]
GroupType = Literal["company", "department", "team", "project", "site", "community", "interest"]
Visibility = Literal["public", "private"]
TextList = Annotated[list[Text], Field(max_length=30)]


class _Strict(BaseModel):
    # strict: a string is never turned into a boolean or a number behind the person's back.
    model_config = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=False)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_unset(cls, data: Any) -> Any:
        return _drop_empty(data, cls.__pydantic_fields__)  # the class's own dict: model_fields is a slower descriptor


class ContactValue(_Strict):
    """A contact value with its visibility."""

    value: Text = Field(description="The address, number or handle.")
    visibility: Visibility = Field("public", description="`private` keeps it out of the site, its indexes and exports.")


class EmailValue(ContactValue):
    """An email address with its visibility."""

    value: Email = Field(description="The address.")


class GitHubValue(ContactValue):
    """A GitHub login with its visibility."""

    value: GitHubLogin = Field(description="The login, without '@'.")


class GitLabValue(ContactValue):
    """A GitLab username with its visibility."""

    value: GitLabLogin = Field(description="The username, without '@'.")


# Each contact is written as its bare value or as ``{value, visibility}``.
ContactField = Annotated[ContactValue, BeforeValidator(_contact_from_text, json_schema_input_type=Text | ContactValue)]
EmailField = Annotated[EmailValue, BeforeValidator(_contact_from_text, json_schema_input_type=Email | EmailValue)]
GitHubField = Annotated[GitHubValue, BeforeValidator(_contact_from_text, json_schema_input_type=GitHubLogin | GitHubValue)]
GitLabField = Annotated[GitLabValue, BeforeValidator(_contact_from_text, json_schema_input_type=GitLabLogin | GitLabValue)]


class Contact(_Strict):
    """Ways to reach a person. Any value may be `{value: ..., visibility: private}`."""

    email: EmailField | None = Field(None, description="Work email address.")
    chat: ContactField | None = Field(None, description="Chat handle, e.g. `@jdupont`.")
    github: GitHubField | None = Field(None, description="GitHub login, without '@': who may approve changes to this profile.")
    gitlab: GitLabField | None = Field(None, description="GitLab username, without '@'.")
    phone: ContactField | None = Field(None, description="Phone number.")
    linkedin: ContactField | None = Field(None, description="LinkedIn profile address.")
    website: ContactField | None = Field(None, description="Personal or professional web page.")


class SkillEntry(_Strict):
    """A skill with its level."""

    name: Text = Field(description="A skill of `skills.yaml`, by its name or one of its aliases.")
    level: Level = Field(DEFAULT_LEVEL, description="How well you know it; a bare name means `intermediate`.")


SkillItem = Annotated[SkillEntry, BeforeValidator(_skill_from_text, json_schema_input_type=Text | SkillEntry)]


class Networking(_Strict):
    """Opt-ins to the directory's networking features."""

    lunch: bool = Field(False, description="Take part in the monthly lunch pairing.")
    snooze_until: IsoDate | None = Field(None, description="Skip lunch pairings until this date.")


# Backstage's rules for a namespace (a DNS label) and for an entity's name (catalog-model's
# KubernetesValidatorFunctions); a reference is written in full, ``kind:namespace/name``.
BACKSTAGE_NAMESPACE = r"[a-z0-9]+(?:-+[a-z0-9]+)*"
BACKSTAGE_ENTITY_NAME = r"(?:[A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]"
USER_REF_PATTERN = rf"^user:{BACKSTAGE_NAMESPACE}/{BACKSTAGE_ENTITY_NAME}$"
GROUP_REF_PATTERN = rf"^group:{BACKSTAGE_NAMESPACE}/{BACKSTAGE_ENTITY_NAME}$"


def _check_ref(kind: str, rule: re.Pattern[str], example: str, value: str) -> str:
    if len(value) > 140 or not rule.fullmatch(value):
        raise refusal(
            "backstage",
            "'{value}' is not a Backstage entity reference of kind {kind}: write {kind}:<namespace>/<name>, e.g. {example}",
            value=value,
            kind=kind,
            example=example,
        )
    return value


UserRef = Annotated[
    str,
    AfterValidator(partial(_check_ref, "user", re.compile(USER_REF_PATTERN), "user:default/jane.doe")),
    WithJsonSchema({"type": "string", "maxLength": 140, "pattern": USER_REF_PATTERN}),
]
GroupRef = Annotated[
    str,
    AfterValidator(partial(_check_ref, "group", re.compile(GROUP_REF_PATTERN), "group:default/team-a")),
    WithJsonSchema({"type": "string", "maxLength": 140, "pattern": GROUP_REF_PATTERN}),
]


class BackstageKept(_Strict):
    """Fields of a Backstage entity that the directory has no place for, as Backstage wrote them."""

    metadata: dict[str, JsonValue] = Field({}, description="Under `metadata` (e.g. `links`, `labels`, `tags`, other annotations).")
    spec: dict[str, JsonValue] = Field({}, description="Under `spec` (e.g. fields of `spec.profile` other than the name, email and picture).")


class BackstageUser(_Strict):
    """How a Backstage catalog knows this person: written by `trombi import backstage`, written back by `trombi export backstage`."""

    ref: UserRef = Field(description="The entity's reference, `user:<namespace>/<name>` (e.g. `user:development/guest`).")
    picture: Url | None = Field(None, description="The entity's picture, kept for Backstage when the site does not show it.")
    kept: BackstageKept | None = Field(None, description="The entity's fields the directory has no place for.")


class BackstageGroup(_Strict):
    """How a Backstage catalog knows this group: written by `trombi import backstage`, written back by `trombi export backstage`."""

    ref: GroupRef = Field(description="The entity's reference, `group:<namespace>/<name>` (e.g. `group:default/team-a`).")
    type: Annotated[str, Field(max_length=63, pattern=r"^[A-Za-z0-9][-A-Za-z0-9_.]*$")] | None = Field(
        None, description="Backstage's type (e.g. `sub-department`), written back while it still means the group's `type`."
    )
    picture: Url | None = Field(None, description="The entity's picture.")
    kept: BackstageKept | None = Field(None, description="The entity's fields the directory has no place for.")


class Person(_Strict):
    """A person: `people/<handle>.yaml`, the handle being the file name."""

    name: Text = Field(description="Full name as colleagues know it.")
    pronouns: Text | None = Field(None, description="Pronouns, if you wish to show them.")
    title: Text = Field(description="Job title.")
    team: Slug | None = Field(None, description="Slug of your team: a group of type `team`.")
    manager: Handle | None = Field(None, description="Handle of your manager.")
    location: Text | None = Field(None, description="Site where you work (one of the company's sites, or remote).")
    timezone: Timezone | None = Field(None, description="IANA time zone, e.g. `Europe/Paris`.")
    languages: Annotated[list[LanguageCode], Field(max_length=20)] = Field([], description="Languages you speak, as ISO 639-1 codes.")
    joined: IsoDate | None = Field(None, description="Date you joined, YYYY-MM-DD.")
    kind: Kind = Field("employee", description="External people (contractors, partners) are marked as such everywhere.")
    company: Text | None = Field(None, description="For contractors and partners: the company they work for.")
    photo: Photo | None = Field(None, description="A picture under `photos/` in the repository, or an `https://` address.")
    contact: Contact = Field(default_factory=Contact, description="Ways to reach you.")
    skills: Annotated[list[SkillItem], Field(max_length=60)] = Field(
        [], description="Skills from `skills.yaml`: a name (level `intermediate`) or `{name, level}`."
    )
    ask_me_about: TextList = Field([], description="Topics colleagues can ask you about.")
    offers: TextList = Field([], description="What you can help others with.")
    seeks: TextList = Field([], description="What you are looking for.")
    interests: TextList = Field([], description="Interests outside work.")
    groups: Annotated[list[Slug], Field(max_length=100)] = Field([], description="Open groups you belong to (their slugs).")
    networking: Networking = Field(default_factory=Networking, description="Networking opt-ins.")
    search: Literal["visible", "hidden"] = Field("visible", description="`hidden` keeps you out of search and of listings other than your team and groups.")
    bio: LongText | None = Field(None, description="A short presentation in Markdown (raw HTML is shown as text).")
    backstage: BackstageUser | None = Field(None, description="Kept by `trombi import backstage` for the export back to Backstage; not shown on the site.")


class Channels(_Strict):
    """Where a group talks."""

    chat: Text | None = Field(None, description="Chat channel, e.g. `#guild-python`.")
    mailing_list: Email | None = Field(None, description="Mailing list address.")
    url: Url | None = Field(None, description="Web page (wiki, site).")


class Meetings(_Strict):
    """When a group meets."""

    every: Literal["week", "two-weeks", "month", "quarter"] = Field(description="How often the group meets.")
    on: Text | None = Field(None, description="Which day, e.g. `premier jeudi`.")
    at: TimeOfDay | None = Field(None, description='Time of day, `"HH:MM"` in quotes.')
    place: Text | None = Field(None, description="Where (a room, a site, a video link).")


class Group(_Strict):
    """A group: `groups/<slug>.yaml`, the slug being the file name."""

    name: Text = Field(description="Display name.")
    type: GroupType = Field(description="What kind of group; teams, departments and the company make the org chart.")
    description: LongText | None = Field(None, description="What the group is about, in Markdown.")
    parent: Slug | None = Field(None, description="Slug of the parent group (teams under departments under the company).")
    owners: Annotated[list[Handle], Field(max_length=50)] = Field([], description="Handles of the people who curate the group.")
    open: bool = Field(True, description="`true`: people join by listing the group in their profile; `false`: only `members` belong.")
    members: Annotated[list[Handle], Field(max_length=5000)] = Field([], description="Members of a closed group (owners keep this list).")
    serves: Annotated[list[Slug], Field(max_length=100)] = Field(
        [], description="For a project: the slugs of the groups it works for, its internal clients (suggested to its members' networks)."
    )
    channels: Channels | None = Field(None, description="Chat channel, mailing list, web page.")
    meetings: Meetings | None = Field(None, description="Regular meetings.")
    timezone: Timezone | None = Field(
        None,
        description="IANA time zone of a site (`type: site`), e.g. `Asia/Tokyo`: its groups meet and its lunches are at that time. "
        "Without it, a site named after a zone's city (Paris, Tokyo) is in that zone, any other in the company's (`extra.trombi.timezone`).",
    )
    backstage: BackstageGroup | None = Field(None, description="Kept by `trombi import backstage` for the export back to Backstage; not shown on the site.")


class SkillDefinition(_Strict):
    """A skill of the taxonomy."""

    category: Text = Field(description="Category shown in the skills index.")
    aliases: Annotated[list[Text], Field(max_length=30)] = Field([], description="Other names people may use; they map to this one.")
    description: Text | None = Field(None, description="One line on what the skill covers.")


def _names_rule_in_property_names(schema: dict[str, Any]) -> None:
    # pydantic publishes a pattern on keys as patternProperties, which lets a key outside the
    # pattern through with any value; the names' rule belongs in propertyNames.
    ((pattern, definition),) = schema.pop("patternProperties").items()
    schema["additionalProperties"] = definition
    schema["propertyNames"]["pattern"] = pattern


class Taxonomy(RootModel[dict[Text, SkillDefinition]]):
    """`skills.yaml`: canonical skill name -> definition."""

    model_config = ConfigDict(json_schema_extra=_names_rule_in_property_names)


SCHEMA_MODELS: dict[str, type[BaseModel]] = {"person": Person, "group": Group, "skills": Taxonomy}
