"""VAR: the "Contest answer" message menu on a refused typed answer, and the claim staff decide on.

The claim is the public reply to the menu command, in the quiz channel, with Uphold / Reject / Add as
alias buttons whose custom ids carry the claim id (`var:uphold:12`). At start-up the views of claims still
pending are registered again (`add_view`), so their buttons answer after a restart. The rules are in
`bot.quiz.var`.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CalcioBot
from bot.errors import UserError
from bot.i18n import translate
from bot.limits import clip
from bot.quiz.var import Problem, award_points, contest_problem, decision_problem
from bot.text import COLOUR, NO_PINGS, display_name, plain
from bot.translator import public_lang
from cogs.checks import require_manage_messages
from cogs.views import View
from db.queries.var import (
    ClaimView,
    VarRefused,
    add_server_alias,
    claim_by_id,
    find_contested,
    open_claim,
    pending_claims,
    reject_claim,
    set_claim_message,
    uphold_claim,
)

log = logging.getLogger(__name__)

UPHOLD, REJECT, ALIAS = "uphold", "reject", "alias"
UPHELD_COLOUR = discord.Colour.green()
REJECTED_COLOUR = discord.Colour.dark_grey()


def claim_embed(guild: discord.Guild | None, claim: ClaimView, lang: str | None) -> discord.Embed:
    """The claim as staff see it: question, accepted answer, the fan's answer, who; then the decision."""
    colour = {"upheld": UPHELD_COLOUR, "rejected": REJECTED_COLOUR}.get(claim.status, COLOUR)
    question, answer = claim.shown(lang)
    embed = discord.Embed(
        title="📺 " + translate(lang, "VAR: an answer is contested"),
        description=clip(plain(question), 1000),
        colour=colour,
    )
    embed.add_field(name=translate(lang, "Accepted answer"), value=clip(plain(answer), 1000), inline=True)
    embed.add_field(
        name=translate(lang, "Fan's answer"), value=clip(plain(claim.text), 1000) or "…", inline=True
    )
    fan = display_name(guild, claim.user_id, lang)
    if claim.raised_by != claim.user_id:
        who = translate(
            lang,
            "{fan} (raised by {moderator})",
            fan=fan,
            moderator=display_name(guild, claim.raised_by, lang),
        )
    else:
        who = fan
    embed.add_field(name=translate(lang, "Fan"), value=who, inline=True)
    if claim.status == "open":
        embed.set_footer(
            text=translate(
                lang,
                "Upholding awards {points} points. Moderators (Manage Messages) decide.",
                points=claim.points,
            )
        )
    else:
        judge = display_name(guild, claim.decided_by or 0, lang)
        if claim.status == "upheld":
            verdict = "✅ " + translate(
                lang,
                "Upheld by {moderator}: +{points} to {fan}.",
                moderator=judge,
                points=claim.points,
                fan=fan,
            )
        else:
            verdict = "❌ " + translate(lang, "Rejected by {moderator}.", moderator=judge)
        if claim.alias_added:
            verdict += "\n" + translate(lang, "Added as an alias of this question.")
        embed.add_field(name=translate(lang, "Decision"), value=verdict, inline=False)
    return embed


class ClaimButtons(View):
    """Uphold / Reject / Add as alias on a claim message; persistent (custom ids with the claim id, no
    timeout), disabled as the claim's status makes them pointless."""

    def __init__(
        self,
        cog: Var,
        claim_id: int,
        lang: str | None = None,
        status: str = "open",
        alias_added: bool = False,
    ) -> None:
        super().__init__(timeout=None)
        self.cog = cog
        self.claim_id = claim_id
        buttons = (
            (UPHOLD, translate(lang, "Uphold"), discord.ButtonStyle.success, status != "open"),
            (REJECT, translate(lang, "Reject"), discord.ButtonStyle.danger, status != "open"),
            (
                ALIAS,
                translate(lang, "Add as alias"),
                discord.ButtonStyle.secondary,
                status != "upheld" or alias_added,
            ),
        )
        for action, label, style, disabled in buttons:
            button: discord.ui.Button[ClaimButtons] = discord.ui.Button(
                label=label, style=style, custom_id=f"var:{action}:{claim_id}", disabled=disabled
            )
            button.callback = self._callback(action)  # type: ignore[method-assign]
            self.add_item(button)

    def _callback(self, action: str):
        async def callback(interaction: discord.Interaction) -> None:
            await self.cog.decide(interaction, self.claim_id, action)

        return callback


class Var(commands.Cog):
    """Contested answers."""

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(
            name=app_commands.locale_str("Contest answer"),
            callback=self.contest,
            type=discord.AppCommandType.message,
        )
        self.menu.guild_only = True
        self.menu.allowed_contexts = app_commands.AppCommandContext(
            guild=True, dm_channel=False, private_channel=False
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)
        async with self.bot.db.sessions() as s:
            pending = await pending_claims(s)
        for claim in pending:  # claims posted before a restart keep their buttons
            view = ClaimButtons(self, claim.id, None, claim.status, claim.alias_added)
            self.bot.add_view(view, message_id=claim.message_id)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def contest(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Post a claim for staff about a refused answer."""
        if interaction.guild_id is None:
            raise UserError("That command only works in a server.")
        if message.author.bot:
            raise UserError(Problem.BOT_MESSAGE.value)
        async with self.bot.db.sessions() as s:
            found = await find_contested(s, interaction.guild_id, message.id)
        moderator = interaction.permissions.manage_messages
        problem = contest_problem(
            found.target if found else None, interaction.user.id, moderator, self.bot.clock.now()
        )
        if problem is not None or found is None:
            raise UserError((problem or Problem.NOT_AN_ANSWER).value)
        points = award_points(found.difficulty, found.hints_shown)
        try:
            claim_id = await open_claim(
                self.bot.db.sessions,
                interaction.guild_id,
                found,
                interaction.user.id,
                points,
                self.bot.clock.now(),
            )
        except VarRefused as refused:
            raise UserError(refused.problem.value) from None
        claim = await self._load(interaction.guild_id, claim_id)
        lang = await public_lang(self.bot, interaction.guild)
        await interaction.response.send_message(
            embed=claim_embed(interaction.guild, claim, lang),
            view=ClaimButtons(self, claim_id, lang),
            allowed_mentions=NO_PINGS,
        )
        sent = await interaction.original_response()
        await set_claim_message(self.bot.db.sessions, claim_id, sent.id)

    async def _load(self, guild_id: int | None, claim_id: int) -> ClaimView:
        async with self.bot.db.sessions() as s:
            claim = await claim_by_id(s, claim_id)
        if claim is None or claim.guild_id != guild_id:
            raise UserError("I can't find this claim any more.")
        return claim

    async def decide(self, interaction: discord.Interaction, claim_id: int, action: str) -> None:
        """A staff button on a claim: uphold, reject, or add the upheld answer as an alias."""
        require_manage_messages(interaction)
        claim = await self._load(interaction.guild_id, claim_id)
        now, who = self.bot.clock.now(), interaction.user.id
        try:
            if action == UPHOLD:
                problem = decision_problem(claim.status)
                if problem is not None:
                    raise VarRefused(problem)
                await uphold_claim(
                    self.bot.db.sessions, claim.id, who, now, self.bot.settings.season_start_month
                )
            elif action == REJECT:
                await reject_claim(self.bot.db.sessions, claim.id, who, now)
            else:
                await add_server_alias(self.bot.db.sessions, claim.id, who, now)
        except VarRefused as refused:
            raise UserError(refused.problem.value) from None
        claim = await self._load(interaction.guild_id, claim.id)
        lang = await public_lang(self.bot, interaction.guild)
        await interaction.response.edit_message(
            embed=claim_embed(interaction.guild, claim, lang),
            view=ClaimButtons(self, claim.id, lang, claim.status, claim.alias_added),
            allowed_mentions=NO_PINGS,
        )
        log.info("VAR claim %s: %s by %s", claim.id, action, who)


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(Var(bot))
