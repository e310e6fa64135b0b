"""Read a coordinator's CSV file of people to invite: pure parsing, no database.

The file is refused as a whole (`InvitationFileRefused`) when it cannot be read as
a list of invitations at all: too big, empty, binary, not UTF-8, wrong columns.
Otherwise every row comes back with its own errors, so the coordinator can fix
them all in one go; nothing is imported until no row has an error.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from programs.models.program import Role

MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
REQUIRED_COLUMNS = ("email", "name", "role")
OPTIONAL_COLUMNS = ("department", "manager_email")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# The model's limits, repeated so the preview can name the row at fault.
MAX_LENGTHS = {"email": 254, "name": 80, "department": 120, "manager_email": 254}
# Files people save from spreadsheets by mistake: zip (xlsx, odt), old Office, PDF.
BINARY_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")


class InvitationFileRefused(Exception):
    """The file as a whole cannot be read; `message` says what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class InvitationRow:
    """One person to invite, with the line of the file it came from."""

    line: int
    email: str = ""
    name: str = ""
    role: str = ""
    department: str = ""
    manager_email: str = ""
    errors: list = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.email, self.role)

    def as_invitation(self) -> dict:
        """Return the keyword arguments of `services.invite_person` for this row."""
        return {column: getattr(self, column) for column in COLUMNS}


def too_big_message() -> str:
    return _(
        "The file is too big: at most %(rows)s people and 1 MB at a time. "
        "Split the file and upload each part."
    ) % {"rows": number_format(MAX_ROWS, force_grouping=True)}


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise InvitationFileRefused(_("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise InvitationFileRefused(too_big_message())
    if raw.startswith(BINARY_SIGNATURES) or b"\x00" in raw:
        raise InvitationFileRefused(
            _(
                "This is not a CSV file. In your spreadsheet, choose "
                "“Save as” and the CSV format, then upload that file."
            )
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvitationFileRefused(
            _(
                "The file is not in UTF-8. Save it again as “CSV UTF-8” "
                "(your spreadsheet offers it under “Save as”) and upload it again."
            )
        ) from None
    if not text.strip():
        raise InvitationFileRefused(_("The file is empty."))
    return text


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _columns(header: list[str]) -> list[str]:
    columns = [name.strip().lower().replace(" ", "_") for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    unknown = [name for name in columns if name not in COLUMNS]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if missing or unknown or repeated:
        problems = []
        if missing:
            problems.append(_("missing: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(
                _("not known: %(names)s") % {"names": ", ".join(n or "“”" for n in unknown)}
            )
        if repeated:
            problems.append(_("repeated: %(names)s") % {"names": ", ".join(repeated)})
        raise InvitationFileRefused(
            _(
                "The first row must name the columns email, name and role, and may add "
                "department and manager_email (%(problems)s)."
            )
            % {"problems": "; ".join(problems)}
        )
    return columns


def _role(value: str) -> str:
    wanted = value.strip().casefold()
    for role in Role:
        if wanted in (role.value, str(role.label).casefold()):
            return role.value
    return ""


def _read_row(line: int, columns: list[str], values: list[str]) -> InvitationRow:
    row = InvitationRow(line=line)
    if len(values) != len(columns):
        row.errors.append(
            _("This row has %(found)d values; the first row names %(expected)d columns.")
            % {"found": len(values), "expected": len(columns)}
        )
    cells = dict(zip(columns, (value.strip() for value in values), strict=False))
    row.email = cells.get("email", "").lower()
    row.name = " ".join(cells.get("name", "").split())
    row.department = cells.get("department", "")
    row.manager_email = cells.get("manager_email", "").lower()
    row.role = _role(cells.get("role", ""))
    if not row.email:
        row.errors.append(_("The email is missing."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(_("“%(email)s” is not an email address.") % {"email": row.email})
    if not row.role:
        row.errors.append(
            _("Unknown role “%(role)s”: write mentor or mentee.") % {"role": cells.get("role", "")}
        )
    if row.manager_email:
        try:
            validate_email(row.manager_email)
        except ValidationError:
            row.errors.append(
                _("The manager's email “%(email)s” is not an email address.")
                % {"email": row.manager_email}
            )
    for column, limit in MAX_LENGTHS.items():
        if len(getattr(row, column)) > limit:
            row.errors.append(
                _("The %(column)s is longer than %(limit)d characters.")
                % {"column": column, "limit": limit}
            )
    return row


def parse_invitations(raw: bytes) -> list[InvitationRow]:
    """Return the rows of an invitation file, each with its errors (duplicates included)."""
    text = _decode(raw)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(row for row in reader if any(cell.strip() for cell in row))
        columns = _columns(header)
        rows = []
        first_line_of = {}
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(rows) == MAX_ROWS:
                raise InvitationFileRefused(too_big_message())
            row = _read_row(reader.line_num, columns, values)
            if row.email and row.role:
                if row.key in first_line_of:
                    row.errors.append(
                        _("The same person and role are already on line %(line)d.")
                        % {"line": first_line_of[row.key]}
                    )
                else:
                    first_line_of[row.key] = row.line
            rows.append(row)
    except csv.Error:
        raise InvitationFileRefused(
            _("The file could not be read as CSV: check its quotes and separators.")
        ) from None
    except StopIteration:
        raise InvitationFileRefused(_("The file is empty.")) from None
    if not rows:
        raise InvitationFileRefused(_("The file names its columns but lists nobody to invite."))
    return rows


def mark_conflicts(rows: list[InvitationRow], *, enrolled: set, invited: set) -> None:
    """Add an error to each row whose (email, role) is already enrolled or invited."""
    for row in rows:
        if row.key in enrolled:
            row.errors.append(
                _("%(email)s is already in this program as a %(role)s.")
                % {"email": row.email, "role": Role(row.role).label}
            )
        elif row.key in invited:
            row.errors.append(
                _("%(email)s already has an invitation waiting.") % {"email": row.email}
            )


def has_errors(rows: list[InvitationRow]) -> bool:
    return any(row.errors for row in rows)
