"""The fast register path (Arrow CSV reader, distinct values parsed once, vectorised checks)
gives what the plain path gives: the same cells, the same refused rows with the same messages."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation import ValidationError
from evaluation.inputs import csvread, files
from evaluation.inputs.register import load_register

from conftest import HEADER, ROWS, csv_text


def _both_readers(path):
    """The table through Arrow and through pandas (the general reader), as object columns."""
    data = path.read_bytes()
    head = data[:65536]
    text = head.decode("utf-8-sig", errors="replace").splitlines()[0]
    delimiter = ";" if text.count(";") > text.count(",") else ","
    fast = csvread._read_csv_arrow(path, head, delimiter)
    assert fast is not None, "the Arrow reader declined a well-formed file"
    plain = csvread._read_csv_pandas(path, csvread._decode(path, data), delimiter)
    return fast.astype(object), plain


@pytest.mark.parametrize("encoding, sep", [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("cp1252", ",")])
def test_arrow_reader_reads_what_pandas_reads(tmp_path, encoding, sep):
    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("forsorjning_fore")] = "  Försörjningsstöd ; A-kassa  "  # quoted, spaces around
    rows[1][HEADER.index("kon")] = " Man\t"
    path = tmp_path / "deltagare.csv"
    text = csv_text(rows=rows, sep=sep).replace("\n", "\r\n")
    text = text.replace(f"{sep}Gymnasium{sep}", f'{sep}"Gymna\r\nsium"{sep}', 1)  # a line break in a value
    path.write_bytes(text.encode(encoding))
    fast, plain = _both_readers(path)
    pd.testing.assert_frame_equal(fast, plain)
    assert fast.loc[0, "forsorjning_fore"] == "Försörjningsstöd ; A-kassa" and fast.loc[1, "kon"] == "Man"
    assert fast.loc[0, "utbildningsniva"] == "Gymna\r\nsium" or fast.loc[0, "utbildningsniva"] == "Gymna\nsium"


def test_blank_lines_keep_file_row_numbers(tmp_path):
    # Row 2 is D01, row 3 is blank, row 4 is D02 ... so the bad gender of D03 is on row 5.
    lines = csv_text().splitlines()
    lines.insert(2, "")
    lines[4] = lines[4].replace("Kvinna", "Kvinnan")
    path = tmp_path / "deltagare.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_register(path)
    assert [(v.row, v.column) for v in err.value.violations] == [(5, "kon")]


def test_ragged_file_falls_back_to_the_general_reader(tmp_path):
    path = tmp_path / "deltagare.csv"
    path.write_text(csv_text() + "D13,Man\n", encoding="utf-8")  # a short last row: pandas fills it
    with pytest.raises(ValidationError) as err:
        load_register(path)
    assert [v.row for v in err.value.violations] == [14]
    assert "kolumn 'startdatum'" in str(err.value) and "tom; varje inskrivning behöver ett startdatum" in str(err.value)


def test_many_refused_rows_are_all_named_and_counted(tmp_path):
    # 3,000 enrolments of distinct people; every 100th has an unknown gender (rows 2, 102, ...).
    header = "deltagar_id;kon;startdatum"
    body = [f"X{i:05d};{'Okänt' if i % 100 == 0 else 'Man'};2020-01-01" for i in range(3000)]
    path = tmp_path / "deltagare.csv"
    path.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_register(path)
    assert [v.row for v in err.value.violations] == list(range(2, 3002, 100))
    message = str(err.value)
    assert message.startswith(f"{path}: 30 fel hittades.")
    assert "  - rad 2, kolumn 'kon': 'Okänt' är inte tillåtet; använd ett av: Kvinna, Man, Uppgift saknas" in message
    assert "rad 1902," in message and "rad 2002," not in message  # the first 20 listed
    assert "  ... och 10 till" in message and message.endswith("Rätta filen och kör igen; ingen ny rapport har skrivits.")


def test_ids_with_personnummer_found_among_many(tmp_path):
    # Among 5,000 ids one is a personnummer with a wrong check digit, one has Arabic-Indic digits.
    body = [f"D{i:06d},Kvinna,2020-01-01" for i in range(5000)]
    body[1234] = "811218-9875,Kvinna,2020-01-01"
    body[4321] = "\u0668\u0661\u0661\u0662\u0661\u0668-\u0669\u0668\u0667\u0665,Man,2020-01-01"
    path = tmp_path / "deltagare.csv"
    path.write_text("\n".join(["deltagar_id,kon,startdatum", *body]) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_register(path)
    assert [(v.row, v.column) for v in err.value.violations] == [(1236, "deltagar_id"), (4323, "deltagar_id")]
    assert "811218" not in str(err.value) and "personnummer" in str(err.value)


def _reference_problems(rows: list[tuple[str, dt.date, dt.date | None]]) -> list[tuple[int, str]]:
    """The duplicate and overlap checks written as plain loops (the contract), file rows from 2."""
    found = []
    seen: dict = {}
    for row, (pid, start, _end) in enumerate(rows, start=2):
        if (pid, start) in seen:
            found.append((row, f"(rad {seen[(pid, start)]} och rad {row})"))
        else:
            seen[(pid, start)] = row
    spans = sorted((pid, start, end or dt.date.max, row) for row, (pid, start, end) in enumerate(rows, start=2)
                   if end is None or end >= start)
    latest: dict = {}
    for pid, start, end, row in spans:
        if pid in latest:
            last_start, last_end, last_row = latest[pid]
            if start < last_end and start != last_start:
                found.append((row, f"(rad {last_row} och rad {row} överlappar)"))
            if end <= last_end:
                continue
        latest[pid] = (start, end, row)
    return sorted(found)


enrolment = st.tuples(
    st.sampled_from(["A", "B", "C"]),
    st.integers(0, 40).map(lambda d: dt.date(2020, 1, 1) + dt.timedelta(days=d)),
    st.one_of(st.none(), st.integers(0, 40)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(enrolment, min_size=1, max_size=12))
def test_vectorised_duplicate_and_overlap_checks_match_the_loops(tmp_path, drawn):
    rows = [(pid, start, None if length is None else start + dt.timedelta(days=length))
            for pid, start, length in drawn]
    lines = ["deltagar_id,kon,startdatum,slutdatum,avslutsanledning"]
    lines += [f"{pid},Man,{start},{end or ''},{'Arbete' if end else ''}" for pid, start, end in rows]
    path = tmp_path / "deltagare.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = _reference_problems(rows)
    if not expected:
        assert len(load_register(path)) == len(rows)
        return
    with pytest.raises(ValidationError) as err:
        load_register(path)
    got = sorted((v.row, re.search(r"\(rad \d+ och rad \d+(?: överlappar)?\)", v.problem).group(0))
                 for v in err.value.violations)
    assert got == expected
