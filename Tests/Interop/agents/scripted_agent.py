#!/usr/bin/env python3
"""Scripted ACP (Agent Client Protocol v1) agent used as a real peer by the interop tests.

Built on the PyPI package ``agent-client-protocol==0.12.1`` (import name ``acp``).
Speaks newline-delimited JSON-RPC on stdin/stdout; stderr carries free-form logs.

Behaviour is deterministic and chosen by words in the prompt text (case-insensitive, first
match wins, in this order): caps, permission, read <path>, write <path> <content>,
run <command line>, slow, plan, think, usage, refuse, maxtokens, crash, otherwise a greeting.
See README.md next to this file for the exact answer strings.

Session transcripts are stored as JSON in $SCRIPTED_AGENT_STATE (default: <session cwd>/.scripted-agent)
so that a new process can ``session/load`` them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import shlex
import stat
import sys
import uuid
from pathlib import Path
from typing import Any

try:
    import acp  # noqa: F401
except ImportError:  # pragma: no cover - environment problem, explain it on stderr
    sys.stderr.write(
        "scripted agent: the Python package `agent-client-protocol==0.12.1` (module `acp`) is not installed "
        f"for {sys.executable}\n"
    )
    sys.exit(1)

from pydantic import ValidationError

from acp import (
    PROTOCOL_VERSION,
    InitializeResponse,
    LoadSessionResponse,
    NewSessionResponse,
    PromptResponse,
    RequestError,
    run_agent,
    text_block,
    update_agent_message,
    update_agent_thought,
    update_user_message,
)
from acp.helpers import plan_entry, start_tool_call, tool_terminal_ref, update_plan, update_tool_call
from acp.schema import (
    AgentCapabilities,
    AvailableCommand,
    AvailableCommandsUpdate,
    CurrentModeUpdate,
    Implementation,
    PermissionOption,
    SessionMode,
    SessionModeState,
    SetSessionModeResponse,
    ToolCallUpdate,
    UsageUpdate,
)

AGENT_NAME = "scripted-agent"
AGENT_VERSION = "1.0"
MODES = [("ask", "Ask"), ("yolo", "Yolo")]
SLOW_TICKS = 60
SLOW_INTERVAL = 0.5

log = logging.getLogger("scripted_agent")


def _b(value: Any) -> str:
    """JSON-style rendering of scalars inside answer strings: true/false/null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _state_dir(cwd: str | None) -> Path:
    env = os.environ.get("SCRIPTED_AGENT_STATE")
    if env:
        return Path(env)
    return Path(cwd or os.getcwd()) / ".scripted-agent"


def _safe_id(session_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", session_id)


class Session:
    def __init__(self, session_id: str, cwd: str, mode: str = "ask", history: list[dict[str, str]] | None = None):
        self.id = session_id
        self.cwd = cwd
        self.mode = mode
        self.history: list[dict[str, str]] = history or []
        self.cancel_event = asyncio.Event()

    def path(self) -> Path:
        return _state_dir(self.cwd) / f"{_safe_id(self.id)}.json"

    def save(self) -> None:
        try:
            p = self.path()
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = p.with_suffix(".json.tmp")
            tmp.write_text(
                json.dumps({"sessionId": self.id, "cwd": self.cwd, "mode": self.mode, "history": self.history}, indent=1)
            )
            os.replace(tmp, p)
        except OSError as exc:  # state is best effort; never break a turn because of it
            log.warning("cannot persist session %s: %s", self.id, exc)

    @classmethod
    def load(cls, session_id: str, cwd: str) -> Session | None:
        p = _state_dir(cwd) / f"{_safe_id(session_id)}.json"
        try:
            data = json.loads(p.read_text())
        except (OSError, ValueError):
            return None
        if data.get("sessionId") != session_id:
            return None
        return cls(session_id, cwd, data.get("mode") or "ask", list(data.get("history") or []))


def _modes(current: str) -> SessionModeState:
    return SessionModeState(
        current_mode_id=current,
        available_modes=[SessionMode(id=mid, name=name) for mid, name in MODES],
    )


def _err_text(op: str, exc: BaseException) -> str:
    if isinstance(exc, RequestError):
        return f"{op} error {exc.code}: {exc}"
    # Wrong response shape from the client (pydantic rejected it) or a lost connection.
    log.warning("%s: client response rejected: %r", op, exc)
    return f"{op} error invalid response"


class ScriptedAgent:
    def __init__(self) -> None:
        self._conn: Any = None
        self.client_capabilities: Any = None
        self.client_protocol: int | None = None
        self.sessions: dict[str, Session] = {}
        self._tool_seq = 0

    # ---- plumbing ---------------------------------------------------------------------------
    def on_connect(self, conn: Any) -> None:
        self._conn = conn

    def _next_tool_id(self, prefix: str) -> str:
        self._tool_seq += 1
        return f"{prefix}-{self._tool_seq}"

    async def _update(self, session_id: str, update: Any) -> None:
        await self._conn.session_update(session_id=session_id, update=update)

    async def _update_raw(self, session_id: str, update: dict[str, Any]) -> None:
        # acp serialises params with exclude_none/exclude_defaults, which would drop "oldText": null.
        # Send this one update as a raw dict so the explicit null reaches the wire.
        await self._conn._conn.send_notification("session/update", {"sessionId": session_id, "update": update})

    async def _say(self, session: Session, text: str, transcript: list[str]) -> None:
        transcript.append(text)
        await self._update(session.id, update_agent_message(text_block(text)))

    def _session(self, session_id: str) -> Session:
        s = self.sessions.get(session_id)
        if s is None:
            raise RequestError.resource_not_found(session_id)
        return s

    # ---- lifecycle ----------------------------------------------------------------------------
    async def initialize(self, protocol_version: int, client_capabilities: Any = None, client_info: Any = None, **kw: Any):
        self.client_protocol = protocol_version
        self.client_capabilities = client_capabilities
        log.info("initialize protocol=%s caps=%s info=%s", protocol_version, client_capabilities, client_info)
        return InitializeResponse(
            protocol_version=PROTOCOL_VERSION,
            agent_capabilities=AgentCapabilities(load_session=True),
            auth_methods=[],
            agent_info=Implementation(name=AGENT_NAME, version=AGENT_VERSION),
        )

    async def authenticate(self, method_id: str, **kw: Any):
        return None

    async def new_session(self, cwd: str, mcp_servers: Any = None, additional_directories: Any = None, **kw: Any):
        sid = "scripted-" + uuid.uuid4().hex[:12]
        session = Session(sid, cwd)
        self.sessions[sid] = session
        session.save()
        # Like claude-agent-acp: advertise commands right after the session/new response went out.
        asyncio.get_running_loop().create_task(self._announce_commands(sid))
        return NewSessionResponse(session_id=sid, modes=_modes(session.mode))

    async def _announce_commands(self, sid: str) -> None:
        await asyncio.sleep(0.05)
        try:
            await self._update(
                sid,
                AvailableCommandsUpdate(
                    session_update="available_commands_update",
                    available_commands=[AvailableCommand(name="review", description="Review the changes")],
                ),
            )
        except Exception as exc:  # connection may already be gone
            log.warning("available_commands_update failed: %r", exc)

    async def load_session(self, cwd: str, session_id: str, mcp_servers: Any = None, **kw: Any):
        session = self.sessions.get(session_id) or Session.load(session_id, cwd)
        if session is None:
            raise RequestError.resource_not_found(session_id)
        session.cwd = cwd
        self.sessions[session_id] = session
        for entry in session.history:
            block = text_block(entry.get("text", ""))
            if entry.get("role") == "user":
                await self._update(session_id, update_user_message(block))
            else:
                await self._update(session_id, update_agent_message(block))
        return LoadSessionResponse(modes=_modes(session.mode))

    async def set_session_mode(self, session_id: str, mode_id: str, **kw: Any):
        session = self._session(session_id)
        if mode_id not in {m for m, _ in MODES}:
            raise RequestError.invalid_params({"modeId": mode_id, "details": "unknown mode"})
        session.mode = mode_id
        session.save()
        await self._update(session_id, CurrentModeUpdate(session_update="current_mode_update", current_mode_id=mode_id))
        return SetSessionModeResponse()

    async def cancel(self, session_id: str, **kw: Any) -> None:
        log.info("cancel %s", session_id)
        s = self.sessions.get(session_id)
        if s is not None:
            s.cancel_event.set()

    # ---- prompt turn --------------------------------------------------------------------------
    async def prompt(self, session_id: str, prompt: list[Any], **kw: Any) -> PromptResponse:
        session = self._session(session_id)
        session.cancel_event = asyncio.Event()
        texts: list[str] = []
        links: list[str] = []
        for block in prompt:
            btype = getattr(block, "type", None)
            if btype == "text":
                texts.append(block.text)
            elif btype == "resource_link":
                links.append(block.uri)
        text = "\n".join(texts)
        suffix = f" links: {','.join(links)}" if links else ""
        session.history.append({"role": "user", "text": text})
        session.save()
        transcript: list[str] = []
        try:
            stop = await self._run_turn(session, text, suffix, transcript)
            if session.cancel_event.is_set():
                stop = "cancelled"  # ACP: a cancelled turn MUST end with stopReason "cancelled"
        finally:
            if transcript:
                session.history.append({"role": "agent", "text": "".join(transcript)})
            session.save()
        return PromptResponse(stop_reason=stop)

    async def _run_turn(self, session: Session, text: str, suffix: str, transcript: list[str]) -> str:
        low = text.lower()
        sid = session.id

        if "caps" in low:
            caps = self.client_capabilities
            fs = getattr(caps, "fs", None) if caps is not None else None
            read = bool(getattr(fs, "read_text_file", False)) if fs is not None else False
            write = bool(getattr(fs, "write_text_file", False)) if fs is not None else False
            term = bool(getattr(caps, "terminal", False)) if caps is not None else False
            await self._say(
                session,
                f"caps: fs.read={_b(read)} fs.write={_b(write)} terminal={_b(term)} protocol={self.client_protocol}"
                + suffix,
                transcript,
            )
            return "end_turn"

        if "permission" in low:
            return await self._permission(session, suffix, transcript)

        m = re.search(r"\bread\s+(\S+)", text, re.IGNORECASE)
        if m:
            return await self._read(session, m.group(1), "line 2 limit 1" in low, suffix, transcript)

        m = re.search(r"\bwrite\s+(\S+)(?:\s+(.*))?", text, re.IGNORECASE | re.DOTALL)
        if m:
            return await self._write(session, m.group(1), m.group(2) or "", suffix, transcript)

        m = re.search(r"\brun\s+(.+)", text, re.IGNORECASE | re.DOTALL)
        if m:
            return await self._run(session, m.group(1).strip(), "tiny" in low, suffix, transcript)

        if "slow" in low:
            for i in range(1, SLOW_TICKS + 1):
                if session.cancel_event.is_set():
                    return "cancelled"
                piece = f"tick {i} " + (suffix if i == SLOW_TICKS else "")
                await self._say(session, piece, transcript)
                if i == SLOW_TICKS:
                    break
                try:
                    await asyncio.wait_for(session.cancel_event.wait(), SLOW_INTERVAL)
                except asyncio.TimeoutError:
                    pass
            return "cancelled" if session.cancel_event.is_set() else "end_turn"

        if "plan" in low:
            await self._update(
                sid,
                update_plan(
                    [
                        plan_entry("Read the code", priority="high", status="completed"),
                        plan_entry("Write the fix", priority="medium", status="in_progress"),
                    ]
                ),
            )
            await self._say(session, "planned" + suffix, transcript)
            return "end_turn"

        if "think" in low:
            await self._update(sid, update_agent_thought(text_block("Thinking about it")))
            await self._say(session, "thought" + suffix, transcript)
            return "end_turn"

        if "usage" in low:
            await self._update(sid, UsageUpdate(session_update="usage_update", used=1234, size=200000))
            await self._say(session, "usage sent" + suffix, transcript)
            return "end_turn"

        if "refuse" in low:
            await self._say(session, "no" + suffix, transcript)
            return "refusal"

        if "maxtokens" in low:
            await self._say(session, "out of tokens" + suffix, transcript)
            return "max_tokens"

        if "crash" in low:
            await self._say(session, "about to crash" + suffix, transcript)
            session.history.append({"role": "agent", "text": "".join(transcript)})
            session.save()
            log.warning("crashing on purpose (exit 3)")
            sys.stderr.flush()
            os._exit(3)

        answer = f"Hello from the scripted agent. You said: {text}"
        n = len(answer)
        cuts = [0, n // 3, (2 * n) // 3, n]
        pieces = [answer[cuts[i] : cuts[i + 1]] for i in range(3)]
        pieces[-1] += suffix
        for piece in pieces:
            await self._say(session, piece, transcript)
            await asyncio.sleep(0.02)
        return "end_turn"

    # ---- client-side tools ----------------------------------------------------------------------
    async def _permission(self, session: Session, suffix: str, transcript: list[str]) -> str:
        sid = session.id
        await self._update(sid, start_tool_call("perm-tool", "Delete build folder", kind="delete", status="pending"))
        options = [
            PermissionOption(option_id="nope", name="Reject", kind="reject_once"),
            PermissionOption(option_id="yes-always", name="Always", kind="allow_always"),
            PermissionOption(option_id="yes-once", name="Allow", kind="allow_once"),
        ]
        tool_call = ToolCallUpdate(tool_call_id="perm-tool", title="Delete build folder", kind="delete", status="pending")
        try:
            resp = await self._conn.request_permission(session_id=sid, tool_call=tool_call, options=options)
        except (RequestError, ValidationError, ConnectionError) as exc:
            if isinstance(exc, RequestError):
                answer = f"permission: error {exc.code}: {exc}"
            else:
                log.warning("permission: client response rejected: %r", exc)
                answer = "permission: invalid response"
            await self._say(session, answer + suffix, transcript)
            await self._update(sid, update_tool_call("perm-tool", status="failed"))
            return "cancelled" if session.cancel_event.is_set() else "end_turn"
        outcome = resp.outcome
        if getattr(outcome, "outcome", None) == "selected":
            chosen = outcome.option_id
            kind = next((o.kind for o in options if o.option_id == chosen), None)
            answer = f"permission: selected {chosen}"
            status = "completed" if kind in ("allow_once", "allow_always") else "failed"
        else:
            answer = "permission: cancelled"
            status = "failed"
        await self._say(session, answer + suffix, transcript)
        await self._update(sid, update_tool_call("perm-tool", status=status))
        return "cancelled" if session.cancel_event.is_set() else "end_turn"

    def _abs(self, session: Session, path: str) -> str:
        return path if os.path.isabs(path) else os.path.normpath(os.path.join(session.cwd, path))

    async def _read(self, session: Session, path: str, ranged: bool, suffix: str, transcript: list[str]) -> str:
        sid = session.id
        path = self._abs(session, path)
        tid = self._next_tool_id("read")
        await self._update(
            sid,
            start_tool_call(tid, f"Read {path}", kind="read", status="pending", raw_input={"path": path}),
        )
        try:
            if ranged:
                resp = await self._conn.read_text_file(session_id=sid, path=path, line=2, limit=1)
            else:
                resp = await self._conn.read_text_file(session_id=sid, path=path)
        except (RequestError, ValidationError, ConnectionError) as exc:
            await self._update(sid, update_tool_call(tid, status="failed"))
            await self._say(session, _err_text("read", exc) + suffix, transcript)
            return "end_turn"
        await self._update(sid, update_tool_call(tid, status="completed"))
        await self._say(session, f"read: {resp.content}" + suffix, transcript)
        return "end_turn"

    async def _write(self, session: Session, path: str, content: str, suffix: str, transcript: list[str]) -> str:
        sid = session.id
        path = self._abs(session, path)
        tid = self._next_tool_id("write")
        await self._update_raw(
            sid,
            {
                "sessionUpdate": "tool_call",
                "toolCallId": tid,
                "title": f"Write {path}",
                "kind": "edit",
                "status": "pending",
                "content": [{"type": "diff", "path": path, "oldText": None, "newText": content}],
                "locations": [{"path": path}],
            },
        )
        try:
            await self._conn.write_text_file(session_id=sid, path=path, content=content)
        except (RequestError, ValidationError, ConnectionError) as exc:
            await self._update(sid, update_tool_call(tid, status="failed"))
            await self._say(session, _err_text("write", exc) + suffix, transcript)
            return "end_turn"
        await self._update(sid, update_tool_call(tid, status="completed"))
        await self._say(session, f"wrote: {path}" + suffix, transcript)
        return "end_turn"

    async def _run(self, session: Session, cmdline: str, tiny: bool, suffix: str, transcript: list[str]) -> str:
        sid = session.id
        try:
            argv = shlex.split(cmdline)
        except ValueError:
            argv = cmdline.split()
        if not argv:
            await self._say(session, "run error: empty command" + suffix, transcript)
            return "end_turn"
        limit = 16 if tiny else 4096
        try:
            created = await self._conn.create_terminal(
                session_id=sid, command=argv[0], args=argv[1:], cwd=session.cwd, output_byte_limit=limit
            )
        except (RequestError, ValidationError, ConnectionError) as exc:
            await self._say(session, _err_text("run", exc) + suffix, transcript)
            return "end_turn"
        term_id = created.terminal_id
        tid = self._next_tool_id("run")
        await self._update(
            sid,
            start_tool_call(
                tid,
                f"Run {cmdline}",
                kind="execute",
                status="in_progress",
                content=[tool_terminal_ref(term_id)],
                raw_input={"command": argv[0], "args": argv[1:]},
            ),
        )
        try:
            waited = await self._conn.wait_for_terminal_exit(session_id=sid, terminal_id=term_id)
            out = await self._conn.terminal_output(session_id=sid, terminal_id=term_id)
        except (RequestError, ValidationError, ConnectionError) as exc:
            await self._update(sid, update_tool_call(tid, status="failed"))
            with_release = _err_text("run", exc)
            try:
                await self._conn.release_terminal(session_id=sid, terminal_id=term_id)
            except Exception as rexc:  # noqa: BLE001
                log.warning("release after error failed: %r", rexc)
            await self._say(session, with_release + suffix, transcript)
            return "end_turn"
        try:
            await self._conn.release_terminal(session_id=sid, terminal_id=term_id)
        except (RequestError, ValidationError, ConnectionError) as exc:
            log.warning("terminal/release failed: %r", exc)
        ok = waited.exit_code == 0 and waited.signal is None
        await self._update(sid, update_tool_call(tid, status="completed" if ok else "failed"))
        answer = (
            f"ran: exit={_b(waited.exit_code)} signal={_b(waited.signal)} "
            f"truncated={_b(out.truncated)} output={out.output.strip()}"
        )
        await self._say(session, answer + suffix, transcript)
        return "end_turn"


def _is_stream_fd(fd: int) -> bool:
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode)


async def main() -> None:
    agent = ScriptedAgent()
    if _is_stream_fd(0) and _is_stream_fd(1):
        await run_agent(agent)
        return
    # acp's POSIX stdio uses loop.connect_read_pipe/connect_write_pipe, which refuse regular files
    # ("Pipe transport is only for pipes, sockets and character devices"). When stdin/stdout are
    # redirected to files (debugging: `agent < requests.jsonl > out.jsonl`), fall back to acp's
    # thread-fed stdio streams (the ones it uses on Windows).
    from acp.core import DEFAULT_STDIO_BUFFER_LIMIT_BYTES
    from acp.stdio import _windows_stdio_streams

    reader, writer = await _windows_stdio_streams(asyncio.get_running_loop(), limit=DEFAULT_STDIO_BUFFER_LIMIT_BYTES)
    # run_agent's naming is from the peer's point of view: input_stream = our writer, output_stream = our reader.
    await run_agent(agent, input_stream=writer, output_stream=reader)


if __name__ == "__main__":
    logging.basicConfig(
        stream=sys.stderr,
        level=os.environ.get("SCRIPTED_AGENT_LOG", "WARNING").upper(),
        format="scripted-agent %(levelname)s %(message)s",
    )
    print("scripted agent ready", file=sys.stderr, flush=True)
    asyncio.run(main())
