"""Discord's documented request rules, checked as Discord checks them, answered as Discord answers.

Each check collects its findings in a `FormErrors` tree (Discord's "Invalid Form Body" shape, code 50035)
or raises a `Refusal` with Discord's status, JSON error code and message. The server turns a `Refusal`
into the HTTP answer. Nothing here knows about aiohttp or the emulator's state, so each rule is a plain
function that can be read beside the section of Discord's docs it comes from (see README.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass
from typing import Any

import regex

# ----- limits (discord-api-docs, the section named beside each) ---------------------------------------
# Message resource: Create Message; Embed object: Embed Limits.
CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
ATTACHMENTS_MAX = 10
# Reference: Uploading Files ("up to 10 MiB" by default).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# Components reference: Action Row, Button, String Select, Text Input; Custom ID.
ACTION_ROWS_MAX = 5
BUTTONS_PER_ROW_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
SELECT_OPTION_TEXT_MAX = 100
PLACEHOLDER_MAX = 150
# Receiving and responding: Modal; Components reference: Text Input, Label.
MODAL_TITLE_MAX = 45
MODAL_COMPONENTS_MAX = 5
TEXT_INPUT_LABEL_MAX = 45
TEXT_INPUT_PLACEHOLDER_MAX = 100
TEXT_INPUT_LENGTH_MAX = 4000
# Receiving and responding: Autocomplete; Application commands: Option choice structure.
AUTOCOMPLETE_CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_STRING_VALUE_MAX = 100
# Application commands: Application Command Naming; Registering a Command (8000 combined characters).
COMMAND_NAME = regex.compile(r"^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$")
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_CHOICES_MAX = 25
COMMAND_SIZE_MAX = 8000
# Receiving and responding: Responding to an Interaction (3 s), Followup Messages (tokens last 15 min).
FIRST_RESPONSE_SECONDS = 3.0
TOKEN_LIFETIME_SECONDS = 15 * 60.0
# Message resource: Get Channel Messages (limit 1-100).
HISTORY_LIMIT_MAX = 100

# Interaction types and the callback types Discord accepts for each (Interaction Callback Type).
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
ALLOWED_CALLBACKS: dict[int, frozenset[int]] = {
    PING: frozenset({1}),
    APPLICATION_COMMAND: frozenset({4, 5, 9, 12}),
    MESSAGE_COMPONENT: frozenset({4, 5, 6, 7, 9, 12}),
    AUTOCOMPLETE: frozenset({8}),
    MODAL_SUBMIT: frozenset({4, 5, 6, 7, 12}),
}

# Component types (Component Types table).
ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4
DUPLICATED = "Component custom id cannot be duplicated"
SELECTS = frozenset({3, 5, 6, 7, 8})
LABEL = 18


@dataclass
class Refusal(Exception):
    """A request Discord refuses: HTTP status, JSON error code, message and, for 50035, the errors tree."""

    status: int
    code: int
    message: str
    errors: dict[str, Any] | None = None

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            data["errors"] = self.errors
        return data

    def __str__(self) -> str:
        return f"{self.status} {self.code} {self.message} {json.dumps(self.errors) if self.errors else ''}"


def unknown_interaction() -> Refusal:
    return Refusal(404, 10062, "Unknown interaction")


def unknown_webhook() -> Refusal:
    return Refusal(404, 10015, "Unknown Webhook")


def invalid_webhook_token() -> Refusal:
    return Refusal(401, 50027, "Invalid Webhook Token")


def unauthorized() -> Refusal:
    return Refusal(401, 0, "401: Unauthorized")


def missing_access() -> Refusal:
    return Refusal(403, 50001, "Missing Access")


def empty_message() -> Refusal:
    return Refusal(400, 50006, "Cannot send an empty message")


def too_large() -> Refusal:
    return Refusal(413, 40005, "Request entity too large")


def already_acknowledged() -> Refusal:
    return Refusal(400, 40060, "Interaction has already been acknowledged.")


Path = tuple[str | int, ...]


class FormErrors:
    """Discord's nested errors tree: {"embeds": {"0": {"title": {"_errors": [{code, message}]}}}}."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_length(self, path: Path, value: Sized | None, limit: int) -> None:
        if value is not None and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def between(self, path: Path, value: Sized | None, low: int, high: int) -> None:
        size = len(value) if value is not None else 0
        if not low <= size <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def raise_if_any(self) -> None:
        if self.tree:
            raise Refusal(400, 50035, "Invalid Form Body", self.tree)


# ----- messages ----------------------------------------------------------------------------------------
def embed_size(embed: Mapping[str, Any]) -> int:
    """The characters Discord counts towards the 6000 limit: title, description, fields, footer, author."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    for fld in embed.get("fields") or []:
        total += len(fld.get("name") or "") + len(fld.get("value") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    return total


def check_embeds(errs: FormErrors, embeds: Sequence[Mapping[str, Any]], base: Path = ()) -> None:
    errs.max_length((*base, "embeds"), embeds, EMBEDS_MAX)
    for i, embed in enumerate(embeds):
        at = (*base, "embeds", i)
        errs.max_length((*at, "title"), embed.get("title"), EMBED_TITLE_MAX)
        errs.max_length((*at, "description"), embed.get("description"), EMBED_DESCRIPTION_MAX)
        fields = embed.get("fields") or []
        errs.max_length((*at, "fields"), fields, EMBED_FIELDS_MAX)
        for j, fld in enumerate(fields):
            errs.between((*at, "fields", j, "name"), fld.get("name"), 1, EMBED_FIELD_NAME_MAX)
            errs.between((*at, "fields", j, "value"), fld.get("value"), 1, EMBED_FIELD_VALUE_MAX)
        errs.max_length((*at, "footer", "text"), (embed.get("footer") or {}).get("text"), EMBED_FOOTER_MAX)
        errs.max_length((*at, "author", "name"), (embed.get("author") or {}).get("name"), EMBED_AUTHOR_MAX)
    total = sum(embed_size(e) for e in embeds)
    if total > EMBED_TOTAL_MAX:
        errs.add(
            (*base, "embeds"),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )


def check_components(errs: FormErrors, rows: Sequence[Mapping[str, Any]], base: Path = ()) -> None:
    """Message components: rows, buttons per row, custom ids (unique), labels, select options."""
    at_rows = (*base, "components")
    if len(rows) > ACTION_ROWS_MAX:
        errs.max_length(at_rows, rows, ACTION_ROWS_MAX)
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row.get("type") != ACTION_ROW:
            continue  # components v2 layouts are not checked here
        items = row.get("components") or []
        buttons = [c for c in items if c.get("type") == BUTTON]
        selects = [c for c in items if c.get("type") in SELECTS]
        if not items or len(buttons) > BUTTONS_PER_ROW_MAX or (selects and len(items) > 1):
            errs.add(
                (*at_rows, i, "components"),
                "BASE_TYPE_BAD_LENGTH",
                f"Must be between 1 and {BUTTONS_PER_ROW_MAX} in length.",
            )
        for j, item in enumerate(items):
            at = (*at_rows, i, "components", j)
            custom_id = item.get("custom_id")
            if custom_id is not None:
                errs.between((*at, "custom_id"), custom_id, 1, CUSTOM_ID_MAX)
                if custom_id in seen:
                    errs.add(
                        (*at, "custom_id"),
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        DUPLICATED,
                    )
                seen.add(custom_id)
            if item.get("type") == BUTTON:
                errs.max_length((*at, "label"), item.get("label"), BUTTON_LABEL_MAX)
            if item.get("type") in SELECTS:
                errs.max_length((*at, "placeholder"), item.get("placeholder"), PLACEHOLDER_MAX)
            if item.get("type") == STRING_SELECT:
                options = item.get("options") or []
                errs.between((*at, "options"), options, 1, SELECT_OPTIONS_MAX)
                for k, opt in enumerate(options):
                    errs.between((*at, "options", k, "label"), opt.get("label"), 1, SELECT_OPTION_TEXT_MAX)
                    errs.between((*at, "options", k, "value"), opt.get("value"), 1, SELECT_OPTION_TEXT_MAX)


def check_files(files: Iterable[tuple[str, bytes]]) -> None:
    """Uploads: the request's files together may not pass 10 MiB (Discord answers 413, code 40005)."""
    if sum(len(data) for _, data in files) > UPLOAD_MAX_BYTES:
        raise too_large()


def check_message(
    body: Mapping[str, Any], files: Sequence[tuple[str, bytes]] = (), *, edit: bool = False, base: Path = ()
) -> None:
    """A message create or edit (channel message, interaction reply, follow-up, webhook edit)."""
    check_files(files)
    errs = FormErrors()
    errs.max_length((*base, "content"), body.get("content"), CONTENT_MAX)
    check_embeds(errs, body.get("embeds") or [], base)
    check_components(errs, body.get("components") or [], base)
    errs.max_length((*base, "attachments"), body.get("attachments") or files, ATTACHMENTS_MAX)
    errs.raise_if_any()
    has_something = (
        body.get("content")
        or body.get("embeds")
        or body.get("components")
        or files
        or body.get("sticker_ids")
        or body.get("poll")
    )
    if not edit and not has_something:
        raise empty_message()


def check_reply(reference: Mapping[str, Any] | None, found: bool) -> None:
    """A reply (`message_reference`) to a message that is not in the channel is refused, unless the
    reference says `fail_if_not_exists: false` (then Discord sends it as a plain message). Message
    resource: Message Reference structure; the error code is the one Discord's API answers with."""
    if reference is None or found or reference.get("fail_if_not_exists") is False:
        return
    errs = FormErrors()
    errs.add(("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
    errs.raise_if_any()


# ----- interaction callbacks ---------------------------------------------------------------------------
def check_timing(
    elapsed: float,
    *,
    answered: bool,
    first_deadline: float = FIRST_RESPONSE_SECONDS,
    token_lifetime: float = TOKEN_LIFETIME_SECONDS,
) -> None:
    """An interaction's token: a first answer within 3 s, then usable for 15 minutes."""
    if (not answered and elapsed > first_deadline) or elapsed > token_lifetime:
        raise unknown_interaction()


def check_callback_type(interaction_type: int, callback_type: Any) -> None:
    """The callback type must fit the interaction (e.g. no type 7 "update message" for a slash command)."""
    allowed = ALLOWED_CALLBACKS.get(interaction_type, frozenset())
    if callback_type not in allowed:
        errs = FormErrors()
        errs.add(
            ("type",),
            "INTERACTION_RESPONSE_TYPE_INVALID",
            f"Response type {callback_type} is not valid for interaction type {interaction_type}.",
        )
        errs.raise_if_any()


def check_modal(errs: FormErrors, data: Mapping[str, Any]) -> None:
    """A modal (callback type 9): title, custom ids, 1-5 text inputs with labels and values in bounds."""
    base: Path = ("data",)
    errs.between((*base, "title"), data.get("title"), 1, MODAL_TITLE_MAX)
    errs.between((*base, "custom_id"), data.get("custom_id"), 1, CUSTOM_ID_MAX)
    rows = data.get("components") or []
    errs.between((*base, "components"), rows, 1, MODAL_COMPONENTS_MAX)
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row.get("type") == LABEL:
            errs.between((*base, "components", i, "label"), row.get("label"), 1, TEXT_INPUT_LABEL_MAX)
            inner = [(("component",), row.get("component") or {})]
        else:
            inner = [(("components", j), c) for j, c in enumerate(row.get("components") or [])]
        for where, item in inner:
            at = (*base, "components", i, *where)
            custom_id = item.get("custom_id")
            errs.between((*at, "custom_id"), custom_id, 1, CUSTOM_ID_MAX)
            if custom_id in seen:
                errs.add(
                    (*at, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    DUPLICATED,
                )
            seen.add(custom_id or "")
            if item.get("type") != TEXT_INPUT:
                continue
            if row.get("type") != LABEL:
                errs.between((*at, "label"), item.get("label"), 1, TEXT_INPUT_LABEL_MAX)
            errs.max_length((*at, "placeholder"), item.get("placeholder"), TEXT_INPUT_PLACEHOLDER_MAX)
            max_length = item.get("max_length")
            if max_length is not None and not 1 <= max_length <= TEXT_INPUT_LENGTH_MAX:
                errs.add(
                    (*at, "max_length"),
                    "NUMBER_TYPE_MAX",
                    f"int value should be less than or equal to {TEXT_INPUT_LENGTH_MAX}.",
                )
            errs.max_length((*at, "value"), item.get("value"), min(max_length or 4000, TEXT_INPUT_LENGTH_MAX))


def check_autocomplete(errs: FormErrors, data: Mapping[str, Any]) -> None:
    """Autocomplete (callback type 8): at most 25 choices, names 1-100, string values up to 100."""
    choices = data.get("choices") or []
    errs.max_length(("data", "choices"), choices, AUTOCOMPLETE_CHOICES_MAX)
    for i, choice in enumerate(choices):
        errs.between(("data", "choices", i, "name"), choice.get("name"), 1, CHOICE_NAME_MAX)
        if isinstance(choice.get("value"), str):
            errs.max_length(("data", "choices", i, "value"), choice["value"], CHOICE_STRING_VALUE_MAX)


def check_callback(
    body: Mapping[str, Any], files: Sequence[tuple[str, bytes]], interaction_type: int
) -> None:
    """The body of POST /interactions/{id}/{token}/callback, for an interaction of `interaction_type`."""
    kind = body.get("type")
    check_callback_type(interaction_type, kind)
    data = body.get("data") or {}
    if kind == 4:
        check_message(data, files, base=("data",))
    elif kind == 7:
        check_message(data, files, edit=True, base=("data",))
    elif kind in (8, 9):
        errs = FormErrors()
        (check_autocomplete if kind == 8 else check_modal)(errs, data)
        errs.raise_if_any()


# ----- commands and queries ----------------------------------------------------------------------------
def _longest(item: Mapping[str, Any], key: str) -> int:
    """A field's length for the size limit: its longest localization, default value included."""
    values = [str(item.get(key) or ""), *((item.get(f"{key}_localizations") or {}).values())]
    return max(len(v) for v in values)


def _option_size(option: Mapping[str, Any]) -> int:
    size = _longest(option, "name") + _longest(option, "description")
    for choice in option.get("choices") or []:
        size += _longest(choice, "name") + len(str(choice.get("value") or ""))
    return size + sum(_option_size(o) for o in option.get("options") or [])


def command_size(command: Mapping[str, Any]) -> int:
    """Characters Discord counts for a command: names, descriptions and choice values of the command, its
    options (nested) and choices, each at its longest localization."""
    return _option_size(command)


def _check_options(errs: FormErrors, options: Sequence[Mapping[str, Any]], at: Path) -> None:
    errs.max_length((*at, "options"), options, COMMAND_OPTIONS_MAX)
    for i, opt in enumerate(options):
        where = (*at, "options", i)
        name = opt.get("name") or ""
        if not COMMAND_NAME.match(name) or name != name.lower():
            errs.add((*where, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        errs.between((*where, "description"), opt.get("description"), 1, COMMAND_DESCRIPTION_MAX)
        errs.max_length((*where, "choices"), opt.get("choices"), COMMAND_CHOICES_MAX)
        _check_options(errs, opt.get("options") or [], where)


# Application command types (Application Command Types): slash commands, and the two context menus.
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3


def _check_name(errs: FormErrors, path: Path, name: Any, chat_input: bool) -> None:
    """A command name or one of its localizations. CHAT_INPUT: the naming regex, lower case. USER and
    MESSAGE commands: 1-32 characters, mixed case and spaces allowed (not only whitespace)."""
    name = name if isinstance(name, str) else ""
    if chat_input:
        if not COMMAND_NAME.match(name) or name != name.lower():
            errs.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    elif not 1 <= len(name) <= 32:
        errs.between(path, name, 1, 32)
    elif not name.strip():
        errs.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def check_commands(commands: Sequence[Mapping[str, Any]]) -> None:
    """A bulk overwrite of application commands: names (and their localizations), descriptions, options,
    8000 characters each. USER and MESSAGE commands take no description and no options."""
    errs = FormErrors()
    for i, cmd in enumerate(commands):
        kind = cmd.get("type", CHAT_INPUT)
        if kind not in (CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND):
            errs.add((i, "type"), "BASE_TYPE_CHOICES", f"Value must be one of {{1, 2, 3}}, not {kind}.")
            continue
        chat_input = kind == CHAT_INPUT
        _check_name(errs, (i, "name"), cmd.get("name"), chat_input)
        for locale, local in (cmd.get("name_localizations") or {}).items():
            _check_name(errs, (i, "name_localizations", locale), local, chat_input)
        if chat_input:
            errs.between((i, "description"), cmd.get("description"), 1, COMMAND_DESCRIPTION_MAX)
            _check_options(errs, cmd.get("options") or [], (i,))
        else:
            if cmd.get("description"):
                errs.max_length((i, "description"), cmd.get("description"), 0)
            if cmd.get("description_localizations"):
                errs.max_length((i, "description_localizations"), cmd.get("description_localizations"), 0)
            if cmd.get("options"):
                errs.add(
                    (i, "options"),
                    "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED",
                    "Context menu commands cannot have options",
                )
        if command_size(cmd) > COMMAND_SIZE_MAX:
            errs.add(
                (i,), "APPLICATION_COMMAND_TOO_LARGE", f"Command exceeds maximum size ({COMMAND_SIZE_MAX})"
            )
    errs.raise_if_any()


def check_history_query(query: Mapping[str, str]) -> int:
    """GET /channels/{id}/messages: `limit` must be 1-100 (default 50). Returns the limit."""
    errs = FormErrors()
    raw = query.get("limit", "50")
    try:
        limit = int(raw)
    except ValueError:
        errs.add(("limit",), "NUMBER_TYPE_COERCE", f'Value "{raw}" is not int.')
        errs.raise_if_any()
    limit_max = HISTORY_LIMIT_MAX
    if limit > limit_max:
        errs.add(
            ("limit",), "NUMBER_TYPE_MAX", f"int value should be less than or equal to {HISTORY_LIMIT_MAX}."
        )
    elif limit < 1:
        errs.add(("limit",), "NUMBER_TYPE_MIN", "int value should be greater than or equal to 1.")
    errs.raise_if_any()
    return limit
