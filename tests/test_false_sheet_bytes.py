"""The false workbook's sheets are encoded a block of rows at a time (peak memory at 5,000
questions): the bytes must be those of the whole sheet's text."""

from __future__ import annotations

from generator.mockup import dataset


def test_a_sheet_encoded_in_blocks_is_the_sheet_encoded_whole() -> None:
    for n in (0, 1, dataset._ROW_BLOCK - 1, dataset._ROW_BLOCK, 2 * dataset._ROW_BLOCK + 3):
        # Non-ASCII texts (French, Arabic, emoji): a block edge must not split a character.
        rows = [f'<row><c t="inlineStr"><is><t>{i} é ع 🙂</t></is></c></row>' for i in range(n)]
        whole = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 f'<worksheet xmlns="{dataset._NS}"><sheetData>' + "".join(rows)
                 + "</sheetData></worksheet>").encode("utf-8")
        assert bytes(dataset._sheet(iter(rows))) == whole, n
