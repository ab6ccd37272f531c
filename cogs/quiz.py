"""/quiz start|stop|skip: sessions in a channel, typed answers from messages, buttons for choices."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
import time
from dataclasses import dataclass

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CalcioBot
from bot.defaults import DEFAULT_MODE, Difficulty, Mode, Switch, TeamsChoice
from bot.errors import UserError
from bot.i18n import N_, category_choices, category_name, difficulty_name, ntranslate, server_lang, translate
from bot.limits import CONTENT_MAX, clip, join_capped
from bot.quiz.announce import ending_title, hint_text, source_line
from bot.quiz.club_names import club_label, load_club_names
from bot.quiz.engine import QuizGame, Round, ScoreDraft, Verdict
from bot.quiz.hints import Hint
from bot.quiz.runner import QuizRunner
from bot.quiz.teams import MIN_TEAMS, TeamPlay, round_team_points
from bot.tasks import cancel_and_wait
from bot.text import COLOUR, NO_PINGS, display_name, plain
from bot.translator import public_lang, reply_lang
from cogs.checks import require_embeds
from cogs.views import View
from db.queries.guilds import guild_language
from db.queries.quiz import (
    ChannelBusy,
    QuizStore,
    categories,
    clubs,
    competitions,
    interrupted_sessions,
    newest_session_id,
    open_session,
    pick_questions,
    recover_stale_session,
    session_standings,
    session_team_standings,
)
from db.queries.teams import team_role_ids

log = logging.getLogger(__name__)

BUSY = N_("A quiz is already running here. Use `/quiz stop` to end it first.")
NOTICE_SECONDS = 20  # how long the "you count for no team" reply to a typed answer stays
FAILED = N_(
    "The quiz here stopped because of a problem on my side (error id `{error_id}`). "
    "Points already won are kept; start a new one with `/quiz start`."
)


def unix_ms(moment: dt.datetime) -> int:
    """A Discord timestamp (from a snowflake) in Unix milliseconds."""
    return int(moment.timestamp() * 1000)


DIFFICULTY_MARK = {"easy": "🟢", "medium": "🟡", "hard": "🔴"}


def points(lang: str | None, n: int) -> str:
    """'20 pts' / '20 punti'."""
    return ntranslate(lang, "{n} pt", "{n} pts", n)


def standings_embed(
    guild: discord.Guild | None, standings: list[tuple[int, int]], title: str, lang: str | None = None
) -> discord.Embed:
    lines = [
        f"**{i}.** {display_name(guild, uid, lang)} — {points(lang, pts)}"
        for i, (uid, pts) in enumerate(standings[:15], 1)
    ]
    return discord.Embed(
        title=title,
        description="\n".join(lines) or translate(lang, "Nobody scored this time."),
        colour=COLOUR,
    )


def team_name(guild: discord.Guild | None, team_id: int, lang: str | None = None) -> str:
    """A team as shown: its role mention (never a ping: sent with no allowed mentions), or 'deleted role'."""
    if guild is not None and guild.get_role(team_id) is not None:
        return f"<@&{team_id}>"
    return translate(lang, "deleted role")


def add_team_standings(
    embed: discord.Embed, guild: discord.Guild | None, teams: list[tuple[int, int]], lang: str | None = None
) -> discord.Embed:
    """Add the teams' standings to a standings embed (nothing when there are none)."""
    if teams:
        lines = [
            f"**{i}.** {team_name(guild, team_id, lang)} — {points(lang, pts)}"
            for i, (team_id, pts) in enumerate(teams[:10], 1)
        ]
        embed.add_field(name="🏟️ " + translate(lang, "Teams"), value="\n".join(lines), inline=False)
    return embed


SEVERAL_TEAMS = N_(
    "{name}, you hold more than one team role ({teams}), so in this quiz your points count for you "
    "but for no team. Keep one team role to play for your team."
)


def several_teams_notice(lang: str | None, member: discord.Member, team_ids: tuple[int, ...]) -> str:
    """Why a fan with two or more team roles counts for no team."""
    held = [f"<@&{r.id}>" for r in member.roles if r.id in team_ids]
    return translate(
        lang, SEVERAL_TEAMS, name=display_name(member.guild, member.id, lang), teams=", ".join(held)
    )


class ChoiceView(View):
    """Four answer buttons; each member's first press counts."""

    def __init__(self, runner: QuizRunner, rnd: Round) -> None:
        super().__init__(timeout=None)
        self.runner = runner
        self.rnd = rnd
        for index, option in enumerate(rnd.options):
            button: discord.ui.Button[ChoiceView] = discord.ui.Button(
                label=option[:80],
                style=discord.ButtonStyle.secondary,
                custom_id=f"quiz:{rnd.round_id}:{index}",
            )
            button.callback = self._make_callback(index)  # type: ignore[method-assign]
            self.add_item(button)

    def _make_callback(self, index: int):
        async def callback(interaction: discord.Interaction) -> None:
            elapsed = self.runner.elapsed(unix_ms(interaction.created_at))
            teams, user = self.runner.game.teams, interaction.user
            tell = False
            if teams is not None and isinstance(user, discord.Member) and not self.rnd.closed:
                tell = teams.place(user.id, [r.id for r in user.roles])
            verdict = self.rnd.choose(user.id, index, elapsed)
            lang = reply_lang(interaction)
            if verdict is Verdict.ACCEPTED:
                text = "🔒 " + translate(
                    lang, "Locked in: **{choice}**", choice=plain(self.rnd.options[index])
                )
            elif verdict is Verdict.ALREADY:
                text = translate(lang, "You already answered this question.")
            else:
                text = translate(lang, "This question is over.")
            if tell and teams is not None and isinstance(user, discord.Member):
                text += "\n⚠️ " + several_teams_notice(lang, user, teams.team_ids)
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

        return callback

    def revealed(self) -> ChoiceView:
        """The same buttons, disabled, with the right one green."""
        for index, item in enumerate(self.children):
            assert isinstance(item, discord.ui.Button)
            item.disabled = True
            item.style = (
                discord.ButtonStyle.success
                if index == self.rnd.correct_index
                else (discord.ButtonStyle.secondary)
            )
        self.stop()
        return self


class DiscordPresenter:
    """Shows a game in a Discord channel, in the server's language."""

    def __init__(
        self,
        bot: CalcioBot,
        channel: discord.abc.Messageable,
        guild: discord.Guild | None,
        lang: str | None = None,
    ) -> None:
        self.bot = bot
        self.channel = channel
        self.guild = guild
        self.lang = lang
        self.runner: QuizRunner | None = None
        self.views: dict[int, ChoiceView] = {}
        self.messages: dict[int, discord.Message] = {}
        self.embeds: dict[int, discord.Embed] = {}

    async def ask(self, game: QuizGame, rnd: Round) -> int | None:
        q, lang = rnd.question, self.lang
        deadline = int(time.time() + game.seconds * self.bot.time_scale)
        embed = discord.Embed(
            title=translate(lang, "Question {position}/{total}", position=rnd.position + 1, total=game.total),
            description=plain(q.text),
            colour=COLOUR,
        )
        category = plain(category_name(lang, q.category))
        embed.add_field(name=translate(lang, "Category"), value=category, inline=True)
        difficulty = f"{DIFFICULTY_MARK.get(q.difficulty, '')} {difficulty_name(lang, q.difficulty)}".strip()
        embed.add_field(name=translate(lang, "Difficulty"), value=difficulty, inline=True)
        ends = translate(lang, "ends {when}", when=f"<t:{deadline}:R>")
        embed.add_field(name=translate(lang, "Time"), value=ends, inline=True)
        if game.mode == "typed":
            embed.set_footer(
                text=translate(lang, "Type your answer in the channel: first right answer wins.")
            )
            msg = await self.channel.send(embed=embed, allowed_mentions=NO_PINGS)
        else:
            assert self.runner is not None
            view = ChoiceView(self.runner, rnd)
            self.views[rnd.position] = view
            embed.set_footer(text=translate(lang, "Pick one: everyone right scores, faster scores more."))
            # Members see the buttons as soon as Discord has the message, maybe before our send
            # returns: the same buttons listen by custom id meanwhile.
            early = ChoiceView(self.runner, rnd)
            self.bot.add_view(early)
            try:
                msg = await self.channel.send(embed=embed, view=view, allowed_mentions=NO_PINGS)
            finally:
                early.stop()
        self.messages[rnd.position] = msg
        self.embeds[rnd.position] = embed
        rnd.shown_ms = unix_ms(msg.created_at)
        return msg.id

    async def hint(self, game: QuizGame, rnd: Round, hint: Hint) -> None:
        """Edit the question message: its hint field shows the newest hint."""
        embed = self.embeds.get(rnd.position)
        if embed is None:
            return
        text = hint_text(self.lang, hint, rnd.hints_shown)
        if rnd.hints_shown <= 1:
            embed.add_field(name="💡", value=text, inline=False)
        else:
            embed.set_field_at(len(embed.fields) - 1, name="💡", value=text, inline=False)
        try:
            await self.messages[rnd.position].edit(embed=embed)
        except discord.HTTPException as exc:  # the question goes on without it
            log.warning("Could not show a hint for round %s (%s)", rnd.round_id, exc.status)

    async def reveal(self, game: QuizGame, rnd: Round, drafts: list[ScoreDraft]) -> None:
        answer, lang = plain(rnd.question.answer), self.lang
        self.embeds.pop(rnd.position, None)
        source = source_line(self.lang, plain(rnd.question.source))
        source = f"\n-# {source}" if source else ""  # small print under the answer, room kept for it
        view = self.views.pop(rnd.position, None)
        if view is not None:
            try:
                await self.messages[rnd.position].edit(view=view.revealed())
            except discord.HTTPException:
                log.warning("Could not reveal the buttons of round %s", rnd.round_id)
        if rnd.winner is not None:
            won = next(d.points for d in drafts if d.user_id == rnd.winner)
            name = display_name(self.guild, rnd.winner, lang)
            text = "✅ " + translate(
                lang,
                "**{name}** got it! The answer was **{answer}** (+{points}).",
                name=name,
                answer=answer,
                points=won,
            )
        else:
            if rnd.end_reason == "skipped":
                lead = "⏭️ " + translate(lang, "Skipped.")
            elif rnd.end_reason == "stopped":
                lead = "🛑 " + translate(lang, "Stopped.")
            else:
                lead = "⏰ " + translate(lang, "Time's up!")
            text = lead + " " + translate(lang, "The answer was **{answer}**.", answer=answer)
            right = [d for d in drafts if d.correct]
            if game.mode == "buttons":
                if right:
                    lead = "\n🎯 " + translate(lang, "Right: {names}", names="")
                    names = [f"{display_name(self.guild, d.user_id, lang)} (+{d.points})" for d in right]
                    text += lead + join_capped(names, CONTENT_MAX - len(text) - len(lead) - len(source))
                else:
                    text += "\n" + translate(lang, "Nobody picked it.")
        scored = round_team_points(drafts)
        if scored:  # curva mode: what the round gave each team
            text += "\n🏟️ " + " · ".join(f"{team_name(self.guild, t, lang)} +{n}" for t, n in scored)
        text = clip(text, CONTENT_MAX - len(source)) + source
        try:
            await self.channel.send(text, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:  # the points are saved; the game goes on
            log.warning("Could not reveal round %s (%s %s)", rnd.round_id, exc.status, exc.text)

    async def finish(self, game: QuizGame, reason: str) -> None:
        lang = self.lang
        leader = game.leader()
        name = display_name(self.guild, leader, lang) if leader is not None else None
        title = clip(ending_title(lang, reason, name, game.first_to), 256)
        embed = standings_embed(self.guild, game.standings(), title, lang)
        add_team_standings(embed, self.guild, game.team_standings(), lang)
        try:
            await self.channel.send(embed=embed, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("Could not post the standings of session %s (%s)", game.session_id, exc.status)


def club_choices(slugs: list[str], names: dict[str, str], current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for clubs: the typed text found in the name or slug, name-sorted, 25 at most."""
    needle = current.casefold().strip()[:100]
    found = [
        (club_label(slug, names), slug)
        for slug in slugs
        if needle in slug or needle in club_label(slug, names).casefold()
    ]
    return [app_commands.Choice(name=name[:100], value=slug) for name, slug in sorted(found)][:25]


@dataclass
class Running:
    game: QuizGame
    runner: QuizRunner
    task: asyncio.Task[None]


@app_commands.guild_only()  # on the group: Discord ignores it on subcommands
class Quiz(commands.GroupCog, group_name="quiz", group_description="Play a football quiz in this channel"):
    """Quiz sessions."""

    def __init__(self, bot: CalcioBot) -> None:
        self.bot = bot
        self.store = QuizStore(bot.db.sessions, bot.settings.season_start_month)
        self.running: dict[int, Running] = {}
        self.starting: set[int] = set()  # channels between the claim and the first question
        self._recovery: asyncio.Task[None] | None = None
        self.club_names: dict[str, str] = {}
        self.notices: set[asyncio.Task[None]] = set()  # replies telling a fan they count for no team

    async def cog_load(self) -> None:
        self.club_names = await asyncio.to_thread(load_club_names, self.bot.settings.content_dir)
        # Sessions up to here are a previous run's; later ones are ours, even those started (by a fan
        # quicker than our READY) before the recovery below runs.
        before_us = await newest_session_id(self.bot.db.sessions)
        self._recovery = asyncio.create_task(self._recover(before_us))

    async def cog_unload(self) -> None:
        await cancel_and_wait(
            [self._recovery, *(entry.task for entry in self.running.values()), *self.notices]
        )

    async def _recover(self, up_to_id: int) -> None:
        """Close quizzes a previous run left running, and say so in their channels."""
        await self.bot.wait_until_ready()
        guild_ids = {g.id for g in self.bot.guilds}
        live = {entry.game.session_id for entry in self.running.values()}
        now = self.bot.clock.now()
        left = await interrupted_sessions(self.bot.db.sessions, now, guild_ids, live, up_to_id)
        for row in left:
            async with self.bot.db.sessions() as s:
                standings = await session_standings(s, row.id)
                teams = await session_team_standings(s, row.id)
            guild = self.bot.get_guild(row.guild_id)
            lang = await public_lang(self.bot, guild)
            channel = self.bot.get_partial_messageable(row.channel_id, guild_id=row.guild_id)
            embed = standings_embed(guild, standings, translate(lang, "Standings so far"), lang)
            add_team_standings(embed, guild, teams, lang)
            try:
                await channel.send(
                    "⚠️ "
                    + translate(
                        lang,
                        "I restarted, so the quiz here was closed. Points already won are kept. "
                        "Start a new one with `/quiz start`.",
                    ),
                    embed=embed,
                    allowed_mentions=NO_PINGS,
                )
            except discord.HTTPException:
                log.warning("Could not announce interrupted quiz %s in channel %s", row.id, row.channel_id)

    @app_commands.command(name="start", description="Start a quiz in this channel")
    @app_commands.describe(
        category="Only questions from this category",
        questions="How many questions (1-50)",
        difficulty="Only questions of this difficulty",
        mode="typed: type answers in the channel; buttons: multiple choice",
        seconds="Seconds per question (5-120)",
        club="Only questions about this club",
        competition="Only questions from this competition",
        first_to="End the quiz when someone reaches this many points",
        hints="Typed questions: show hints as time runs out (a right answer after a hint scores less)",
        teams="roles: play in teams, by the roles marked with /server teams add (points go to fan and team)",
    )
    @app_commands.guild_only()
    async def start(
        self,
        interaction: discord.Interaction,
        category: str | None = None,
        questions: app_commands.Range[int, 1, 50] = 10,
        difficulty: Difficulty | None = None,
        mode: Mode = DEFAULT_MODE,
        seconds: app_commands.Range[int, 5, 120] = 20,
        club: app_commands.Range[str, 1, 40] | None = None,
        competition: app_commands.Range[str, 1, 40] | None = None,
        first_to: app_commands.Range[int, 1, 1500] | None = None,
        hints: Switch = "on",
        teams: TeamsChoice = "off",
    ) -> None:
        channel = interaction.channel
        assert interaction.guild is not None and channel is not None
        if channel.id in self.running or channel.id in self.starting:
            raise UserError(BUSY)
        self.starting.add(channel.id)
        try:
            await self._start(
                interaction,
                channel,
                category,
                questions,
                difficulty,
                mode,
                seconds,
                club,
                competition,
                first_to=first_to,
                hints=hints == "on",
                teams=teams == "roles",
            )
        finally:
            self.starting.discard(channel.id)

    async def _start(
        self,
        interaction: discord.Interaction,
        channel: discord.abc.GuildChannel | discord.abc.Messageable | discord.Thread,
        category: str | None,
        questions: int,
        difficulty: Difficulty | None,
        mode: Mode,
        seconds: int,
        club: str | None,
        competition: str | None,
        *,
        first_to: int | None = None,
        hints: bool = True,
        teams: bool = False,
    ) -> None:
        assert interaction.guild is not None
        require_embeds(interaction, channel)
        team_ids = await self._team_ids(interaction.guild) if teams else ()
        club = club.strip().lower() if club else None
        competition = competition.strip().lower() if competition else None
        async with self.bot.db.sessions.begin() as s:  # a used-up pool restarts its cycle: a write
            picked = await pick_questions(
                s,
                interaction.guild.id,
                channel.id,
                count=questions,
                category=category,
                difficulty=difficulty,
                mode=mode,
                competition=competition,
                club=club,
            )
            # the settings row pick_questions read is in this session already: no second query
            language = await guild_language(s, interaction.guild.id)
        if not picked:
            filters = self._describe(reply_lang(interaction), category, club, competition)
            raise UserError(
                "I have no questions{filters} for that choice. Try another category, club, competition or "
                "difficulty.",
                filters=filters,
            )
        claim = {
            "guild_id": interaction.guild.id,
            "channel_id": channel.id,
            "starter_id": interaction.user.id,
            "mode": mode,
            "category": category,
            "difficulty": difficulty,
            "seconds": seconds,
            "questions": picked,
        }
        try:
            session_id = await open_session(self.bot.db.sessions, **claim, now=self.bot.clock.now())
        except ChannelBusy:
            # No runner in this process and no start under way here (both checked above). If the row
            # shows no life for longer than a question, what claimed it is gone: close it, claim again.
            stale = await recover_stale_session(self.bot.db.sessions, channel.id, self.bot.clock.now())
            if not stale:
                raise UserError(BUSY) from None
            log.warning("Recovered stale quiz session(s) %s in channel %s", stale, channel.id)
            try:
                session_id = await open_session(self.bot.db.sessions, **claim, now=self.bot.clock.now())
            except ChannelBusy:
                raise UserError(BUSY) from None
        lang = server_lang(language, interaction.guild.preferred_locale)
        shown = [q.in_lang(lang) for q in picked]  # Italian text where the content has it
        game = QuizGame(
            session_id,
            interaction.guild.id,
            channel.id,
            interaction.user.id,
            mode,
            seconds,
            shown,
            first_to=first_to,
            hints=hints,
            teams=TeamPlay(team_ids) if teams else None,
        )
        try:
            presenter = DiscordPresenter(self.bot, channel, interaction.guild, lang)  # type: ignore[arg-type]
            runner = QuizRunner(game, presenter, self.store, self.bot.clock, time_scale=self.bot.time_scale)
            presenter.runner = runner
            how = translate(lang, "typed answers") if mode == "typed" else translate(lang, "multiple choice")
            await interaction.response.send_message(
                "🏁 "
                + ntranslate(
                    lang,
                    "**Quiz time!** {n} question, {how}, {seconds} s each. Started by {name}.",
                    "**Quiz time!** {n} questions, {how}, {seconds} s each. Started by {name}.",
                    len(picked),
                    how=how,
                    seconds=seconds,
                    name=plain(interaction.user.display_name, 40),
                )
                + self._teams_line(lang, team_ids),
                allowed_mentions=NO_PINGS,
            )
        except BaseException:
            await self._release(game)  # a failed reply (400, 404, 5xx, too late) never locks the channel
            raise
        task = asyncio.create_task(self._play(channel.id, runner, presenter))
        self.running[channel.id] = Running(game, runner, task)

    async def _team_ids(self, guild: discord.Guild) -> tuple[int, ...]:
        """The server's team roles that still exist; refuses a teams quiz with fewer than MIN_TEAMS."""
        async with self.bot.db.sessions() as s:
            marked = await team_role_ids(s, guild.id)
        found = tuple(r for r in marked if guild.get_role(r) is not None)
        if len(found) < MIN_TEAMS:
            raise UserError(
                "A teams quiz needs at least {min} team roles, and this server has {n}. Someone with Manage "
                "Server can mark the fans' roles as teams with `/server teams add`.",
                min=MIN_TEAMS,
                n=len(found),
            )
        return found

    @staticmethod
    def _teams_line(lang: str | None, team_ids: tuple[int, ...]) -> str:
        """The start message's line naming the teams (role mentions; the message pings nobody)."""
        if not team_ids:
            return ""
        teams = " · ".join(f"<@&{t}>" for t in team_ids)
        return "\n🏟️ " + translate(
            lang, "Curva mode: {teams}. Points go to each fan and to their team.", teams=teams
        )

    async def _release(self, game: QuizGame) -> None:
        """Mark a claimed session failed; if even that fails, the next start recovers the stale row."""
        try:
            await self.store.finish(game, "failed", self.bot.clock.now())
        except Exception:
            log.warning(
                "Could not release quiz session %s; it is recovered at the next start", game.session_id
            )

    async def _play(self, channel_id: int, runner: QuizRunner, presenter: DiscordPresenter) -> None:
        try:
            await runner.run()
        except asyncio.CancelledError:
            raise
        except Exception:
            error_id = secrets.token_hex(4)
            log.exception("Error %s: the quiz in channel %s failed", error_id, channel_id)
            try:  # say so once, if Discord lets us
                text = "⚠️ " + translate(presenter.lang, FAILED, error_id=error_id)
                await presenter.channel.send(text, allowed_mentions=NO_PINGS)
            except discord.HTTPException:
                log.warning("Could not tell channel %s that its quiz failed (error %s)", channel_id, error_id)
        finally:
            self.running.pop(channel_id, None)

    @start.autocomplete("category")
    async def _category_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        async with self.bot.db.sessions() as s:
            names = await categories(s, interaction.guild_id)
        pairs = category_choices(reply_lang(interaction), names, current)
        return [app_commands.Choice(name=shown, value=value) for shown, value in pairs]

    def _describe(
        self, lang: str | None, category: str | None, club: str | None, competition: str | None
    ) -> str:
        parts = []
        if category:
            parts.append(translate(lang, "in {category}", category=repr(plain(category, 60))))
        if club:
            parts.append(translate(lang, "about {club}", club=plain(club_label(club, self.club_names), 40)))
        if competition:
            parts.append(translate(lang, "from {competition}", competition=plain(competition, 40)))
        return (" " + " ".join(parts)) if parts else ""

    @start.autocomplete("club")
    async def _club_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        async with self.bot.db.sessions() as s:
            slugs = await clubs(s)
        return club_choices(slugs, self.club_names, current)

    @start.autocomplete("competition")
    async def _competition_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        async with self.bot.db.sessions() as s:
            slugs = await competitions(s)
        needle = current.casefold().strip()[:100]
        return [
            app_commands.Choice(name=slug.replace("-", " ").title()[:100], value=slug)
            for slug in slugs
            if needle in slug or needle in slug.replace("-", " ")
        ][:25]

    def _controlled(self, interaction: discord.Interaction) -> Running:
        entry = self.running.get(interaction.channel_id or 0)
        if entry is None:
            raise UserError("There's no quiz running in this channel.")
        perms = interaction.permissions
        if interaction.user.id != entry.game.starter_id and not perms.manage_messages:
            raise UserError(
                "Only the member who started this quiz, or someone with Manage Messages, can do that."
            )
        return entry

    @app_commands.command(name="stop", description="Stop the quiz in this channel")
    @app_commands.guild_only()
    async def stop(self, interaction: discord.Interaction) -> None:
        entry = self._controlled(interaction)
        entry.game.stop()
        lang = await public_lang(self.bot, interaction.guild)
        await interaction.response.send_message(
            "🛑 " + translate(lang, "Stopping the quiz…"), allowed_mentions=NO_PINGS
        )

    @app_commands.command(name="skip", description="Skip the current question")
    @app_commands.guild_only()
    async def skip(self, interaction: discord.Interaction) -> None:
        entry = self._controlled(interaction)
        if entry.game.round is None or not entry.game.round.close("skipped"):
            raise UserError("There's no open question to skip right now.")
        await interaction.response.send_message(
            "⏭️ " + translate(reply_lang(interaction), "Skipping…"), ephemeral=True, allowed_mentions=NO_PINGS
        )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        entry = self.running.get(message.channel.id)
        if entry is None or message.author.bot:
            return
        rnd = entry.game.round
        if rnd is not None and not rnd.closed:
            if rnd.shown_ms is not None and unix_ms(message.created_at) < rnd.shown_ms:
                return  # written before the question was posted
            teams, author = entry.game.teams, message.author
            if teams is not None and isinstance(author, discord.Member):
                if teams.place(author.id, [r.id for r in author.roles]):
                    self._tell(message, author, teams.team_ids)
            elapsed = entry.runner.elapsed(unix_ms(message.created_at))
            rnd.guess(message.author.id, message.content, elapsed, message.id)

    def _tell(self, message: discord.Message, member: discord.Member, team_ids: tuple[int, ...]) -> None:
        """Tell a fan, once per quiz, that holding several team roles counts them for no team. A typed
        answer is a message, which can't get an ephemeral reply: a reply that pings nobody and goes away
        after NOTICE_SECONDS instead."""

        async def send() -> None:
            lang = await public_lang(self.bot, message.guild)
            try:
                await message.reply(
                    "⚠️ " + several_teams_notice(lang, member, team_ids),
                    allowed_mentions=NO_PINGS,
                    mention_author=False,
                    delete_after=NOTICE_SECONDS * self.bot.time_scale,
                )
            except discord.HTTPException as exc:
                log.warning("Could not tell a fan about teams in %s (%s)", message.channel.id, exc.status)

        task = asyncio.create_task(send())
        self.notices.add(task)
        task.add_done_callback(self.notices.discard)


async def setup(bot: CalcioBot) -> None:
    await bot.add_cog(Quiz(bot))
