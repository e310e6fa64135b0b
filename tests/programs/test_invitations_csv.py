"""Reading a coordinator's CSV file of people to invite (no database)."""

import pytest

from programs.invitations_csv import (
    MAX_BYTES,
    MAX_ROWS,
    InvitationFileRefused,
    has_errors,
    mark_conflicts,
    parse_invitations,
)

HEADER = "email,name,role,department,manager_email\n"


def csv_bytes(*lines, header=HEADER, encoding="utf-8"):
    return (header + "".join(line + "\n" for line in lines)).encode(encoding)


def refusal(raw) -> str:
    with pytest.raises(InvitationFileRefused) as refused:
        parse_invitations(raw)
    return refused.value.message


def test_it_reads_every_row_with_its_line_number():
    rows = parse_invitations(
        csv_bytes(
            "amina@example.org,Amina Diallo,mentee,Sales,boss@example.org",
            "LI@Example.org, Li  Wei ,Mentor,,",
        )
    )
    assert [row.as_invitation() for row in rows] == [
        {
            "email": "amina@example.org",
            "name": "Amina Diallo",
            "role": "mentee",
            "department": "Sales",
            "manager_email": "boss@example.org",
        },
        {
            "email": "li@example.org",
            "name": "Li Wei",
            "role": "mentor",
            "department": "",
            "manager_email": "",
        },
    ]
    assert [row.line for row in rows] == [2, 3]
    assert not has_errors(rows)


def test_the_optional_columns_may_be_left_out_and_blank_lines_are_skipped():
    rows = parse_invitations(b"Email,Name,Role\n\namina@example.org,Amina,mentee\n\n")
    assert len(rows) == 1
    assert rows[0].department == ""
    assert not has_errors(rows)


def test_it_accepts_a_byte_order_mark():
    rows = parse_invitations(b"\xef\xbb\xbf" + csv_bytes("amina@example.org,Amina,mentee,,"))
    assert rows[0].email == "amina@example.org"
    assert not has_errors(rows)


def test_it_accepts_semicolons_as_spreadsheets_in_many_countries_write_them():
    raw = "email;name;role\nzoé@example.org;Zoé Martin, PhD;mentor\n".encode()
    rows = parse_invitations(raw)
    assert (rows[0].email, rows[0].name, rows[0].role) == (
        "zoé@example.org",
        "Zoé Martin, PhD",
        "mentor",
    )


def test_it_accepts_windows_line_endings_and_quoted_fields():
    rows = parse_invitations(b'email,name,role\r\n"a@example.org","Doe, Jane",mentee\r\n')
    assert rows[0].name == "Doe, Jane"
    assert not has_errors(rows)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("not-an-email,Amina,mentee,,", "is not an email address"),
        (",Amina,mentee,,", "The email is missing"),
        ("amina@example.org,Amina,coach,,", "Unknown role “coach”"),
        ("amina@example.org,Amina,mentee,,not-a-manager", "manager's email"),
        ("amina@example.org,Amina", "This row has 2 values"),
        ("amina@example.org,Amina,mentee,,,extra", "This row has 6 values"),
        ("amina@example.org," + "N" * 81 + ",mentee,,", "longer than 80"),
    ],
)
def test_each_bad_row_carries_its_own_error(line, error):
    rows = parse_invitations(csv_bytes("good@example.org,Good,mentor,,", line))
    assert rows[0].errors == []
    assert any(error in message for message in rows[1].errors), rows[1].errors
    assert has_errors(rows)


def test_a_person_listed_twice_in_the_same_role_is_flagged_on_the_second_line():
    rows = parse_invitations(
        csv_bytes(
            "amina@example.org,Amina,mentee,,",
            "AMINA@example.org,Amina again,mentee,,",
            "amina@example.org,Amina,mentor,,",
        )
    )
    assert rows[0].errors == []
    assert rows[1].errors == ["The same person and role are already on line 2."]
    assert rows[2].errors == []  # the other role is another invitation


def test_people_already_enrolled_or_invited_are_flagged():
    rows = parse_invitations(
        csv_bytes(
            "pat@example.org,Pat,mentee,,",
            "new@example.org,New,mentor,,",
            "ok@example.org,Ok,mentor,,",
        )
    )
    mark_conflicts(
        rows, enrolled={("pat@example.org", "mentee")}, invited={("new@example.org", "mentor")}
    )
    assert "already in this program" in rows[0].errors[0]
    assert "already has an invitation waiting" in rows[1].errors[0]
    assert rows[2].errors == []


@pytest.mark.parametrize("raw", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(raw):
    assert refusal(raw) == "The file is empty."


def test_a_header_without_rows_is_refused():
    assert "lists nobody" in refusal(HEADER.encode())


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("email,name\n", "missing: role"),
        ("mail,name,role\n", "missing: email"),
        ("email,name,role,phone\n", "not known: phone"),
        ("email,name,role,role\n", "repeated: role"),
        ("amina@example.org,Amina,mentee\n", "missing: email, name, role"),
    ],
)
def test_wrong_columns_are_refused_with_what_is_wrong(header, problem):
    message = refusal((header + "a@example.org,A,mentee\n").encode())
    assert "The first row must name the columns email, name and role" in message
    assert problem in message


def test_a_file_not_in_utf8_is_refused():
    raw = "email,name,role\nzoe@example.org,Zoé,mentee\n".encode("latin-1")
    assert "not in UTF-8" in refusal(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"PK\x03\x04\x14\x00\x06\x00 an xlsx file",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old xls file",
        b"email,name,role\n\x00\x01\x02\x03",
    ],
)
def test_a_binary_file_is_refused(raw):
    assert "This is not a CSV file" in refusal(raw)


def test_more_than_the_row_limit_is_refused_with_advice_to_split():
    raw = csv_bytes(*(f"p{n}@example.org,P {n},mentee,," for n in range(MAX_ROWS + 1)))
    assert "Split the file" in refusal(raw)


def test_exactly_the_row_limit_is_read():
    raw = csv_bytes(*(f"p{n}@example.org,P {n},mentee,," for n in range(MAX_ROWS)))
    assert len(parse_invitations(raw)) == MAX_ROWS


def test_a_file_over_one_megabyte_is_refused_with_advice_to_split():
    raw = csv_bytes(*(f"p{n}@example.org,{'N' * 70},mentee,," for n in range(20_000)))
    assert len(raw) > MAX_BYTES
    assert "Split the file" in refusal(raw)
