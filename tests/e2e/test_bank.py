"""Server banks end to end: real attachment upload, modal, export file, permission refusals."""

from __future__ import annotations

import pytest
import yaml

from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World

pytestmark = pytest.mark.e2e

CSV = (
    "id,question,answer,aliases,choices,category,difficulty,source\n"
    "c1,Who wore the captain's armband @everyone?,Marten de Roon,de Roon,"
    "Papu Gomez|Rafael Tolói|Duvan Zapata,Curva,easy,fans\n"
    "c2,Which nickname do Atalanta fans use?,La Dea,Atalanta,"
    "La Vecchia Signora|I Rossoneri|La Lupa,Curva,easy,fans\n"
)


async def test_import_list_export_and_play(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    done = await admin.slash("bank import", file=("my-bank.csv", CSV.encode()))
    assert done.response_type == 5  # deferred: downloads can be slow
    report = await emu.wait_for(lambda m: "Import" in m.text() and m.interaction_id == done.id)
    assert report.ephemeral and "2 added, 0 updated, 0 unchanged, 0 rejected (csv)" in report.text()

    listing = await admin.slash("bank list")
    text = listing.messages[0].text()
    assert "`c1`" in text and "@\u200beveryone" in text and listing.messages[0].ephemeral

    exported = await admin.slash("bank export", format="yaml")
    assert exported.response_type == 5  # deferred: a big bank takes seconds to export
    files = (await emu.wait_for(lambda m: bool(m.files) and m.interaction_id == exported.id)).files
    assert files and files[0][0] == "calcio-quiz-bank.yaml"
    doc = yaml.safe_load(files[0][1].decode())
    assert {q["id"] for q in doc["questions"]} == {"c1", "c2"}

    again = await admin.slash("bank import", file=files[0])  # the export imports back unchanged
    report2 = await emu.wait_for(lambda m: "Import" in m.text() and m.interaction_id == again.id)
    assert "0 added, 0 updated, 2 unchanged" in report2.text()

    await admin.slash("bank disable", bank="gasperini-atalanta")
    await admin.slash("quiz start", category="Curva", questions=2, seconds=60)
    q = await emu.wait_for(
        lambda m: bool(m.embeds) and m.embeds[0].get("title", "").startswith("Question 1/")
    )
    assert "Curva" in q.text()
    await admin.slash("quiz stop")


async def test_bad_file_writes_nothing(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    bad = CSV + "c3,Missing answer?,,,,,easy,fans\n"
    done = await admin.slash("bank import", file=("bank.csv", bad.encode()))
    report = await emu.wait_for(lambda m: "Import" in m.text() and m.interaction_id == done.id)
    assert "Nothing imported" in report.text() and "line 4: answer" in report.text()
    empty = await admin.slash("bank list")
    assert "no questions of its own" in empty.messages[0].text()
    binary = await admin.slash("bank import", file=("bank.yaml", b"\x00\x01PK"))
    report = await emu.wait_for(lambda m: "Import" in m.text() and m.interaction_id == binary.id)
    assert "binary file" in report.text()


async def test_plain_member_refused_even_if_command_reaches_bot(world: World) -> None:
    fan = world.emulator.member(world.guild, "Fan")
    for path, options in (
        ("bank list", {}),
        ("bank export", {}),
        ("bank import", {"file": ("a.csv", b"x")}),
        ("bank add", {}),
        ("bank remove", {"question_id": "c1"}),
    ):
        refused = await fan.slash(path, **options)
        assert refused.messages[0].ephemeral, path
        assert "Manage Server" in refused.messages[0].text(), path


def field_ids(opened) -> list[str]:
    return [
        c["custom_id"]
        for row in opened.modal["components"]
        for c in (row.get("components") or [row.get("component")])
    ]


async def test_add_with_modal_then_remove_with_confirm(world: World) -> None:
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    opened = await admin.slash("bank add", difficulty="hard")
    assert opened.modal is not None
    ids = field_ids(opened)
    values = dict(
        zip(ids, ["Who scored in Dublin?", "Ademola Lookman", "Lookman", "A|B|C", "Finals"], strict=True)
    )
    saved = await admin.submit(opened, values)
    assert "Added question" in saved.messages[0].text()
    listing = await admin.slash("bank list", category="finals")
    short = listing.messages[0].text().split("`")[1]
    editing = await admin.slash("bank edit", question_id=short)
    prefilled = [
        c.get("value")
        for row in editing.modal["components"]
        for c in (row.get("components") or [row.get("component")])
    ]
    assert "Who scored in Dublin?" in prefilled
    ids = field_ids(editing)
    edited = await admin.submit(
        editing,
        dict(
            zip(
                ids,
                ["Who scored three in Dublin?", "Ademola Lookman", "Lookman", "A|B|C", "Finals"],
                strict=True,
            )
        ),
    )
    assert "Updated question" in edited.messages[0].text()
    asked = await admin.slash("bank remove", question_id=short)
    await admin.click(asked.messages[0], "Remove")
    assert "removed" in asked.messages[0].text()
    second = await admin.slash("bank add")
    ids = field_ids(second)
    bad = await admin.submit(second, {ids[0]: "Q?", ids[1]: "A", ids[2]: "", ids[3]: "only|two", ids[4]: "X"})
    assert "wasn't saved" in bad.messages[0].text() and "exactly 3" in bad.messages[0].text()
