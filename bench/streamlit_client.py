"""A visitor without a browser: Streamlit's websocket protocol spoken from Python, for the load benchmark.

It does what the browser's frontend does for our pages: asks for a page (a rerun request with its URL), reads
the elements each run sends (widget ids by key, metric values), presses buttons and moves widgets (widget
states), honours the timers fragments set (`auto_rerun`), and times each rerun from request to
`script_finished`. Everything else (drawing) it skips, so a room of them costs the machine little of its own.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Visit:
    latencies: list[float] = field(default_factory=list)  # seconds from a request to its run's end
    errors: list[str] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)  # metric label → value, latest
    step_log: list[tuple[float, int]] = field(default_factory=list)  # (time, "Step" metric)
    components: dict[str, dict] = field(default_factory=dict)  # a custom component's key → its latest data
    navigated: bool = False  # a run sent st.navigation's pages: it went through app.py's router


class Visitor:
    def __init__(self, url: str, page: str, query: str = ""):
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.origin = url.rstrip("/")
        self.page, self.query = page, query
        self.page_script_hash = ""  # the page's hash, from the server's answers (the browser sends it back)
        self.visit = Visit()
        self.widget_ids: dict[str, str] = {}  # user key → widget id
        self._widget_states: dict[str, object] = {}  # widget id → WidgetState (the values we have set)
        self._pending: list[float] = []  # send times of requests not yet finished
        self._timers: dict[str, asyncio.Task] = {}
        self._ws = None
        self._first_run = asyncio.Event()

    async def __aenter__(self) -> "Visitor":
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                            origin=self.origin, open_timeout=60, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        await self.rerun()
        await asyncio.wait_for(self._first_run.wait(), timeout=120)
        return self

    async def __aexit__(self, *exc) -> None:
        for task in self._timers.values():
            task.cancel()
        self._reader.cancel()
        await self._ws.close()

    # --- what a visitor does ------------------------------------------------------------------------
    async def rerun(self, widget: tuple[str, str, object] | None = None, fragment_id: str = "") -> None:
        """A rerun request; `widget` = (key, field, value) to set first, e.g. ("so_play", "trigger_value", True)."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string, cs.page_name, cs.fragment_id = self.query, self.page, fragment_id
        # As the browser does: without the page's hash, a rerun the server starts itself (`st.rerun()` in a
        # fragment run) has no page to go to and draws the home page.
        cs.page_script_hash = self.page_script_hash
        cs.is_auto_rerun = bool(fragment_id)
        trigger = None
        if widget is not None:
            key, name, value = widget
            wid = self.widget_ids.get(key)
            if wid is None:
                self.visit.errors.append(f"no widget with key {key}")
                return
            state = cs.widget_states.widgets.add()
            state.id = wid
            if name == "double_array_value":
                state.double_array_value.data.extend(value)
            else:
                setattr(state, name, value)
            if name.endswith("trigger_value"):
                trigger = wid
            else:
                self._widget_states[wid] = state
        for wid, kept in self._widget_states.items():  # the frontend sends every widget's value, every time
            if widget is None or wid != self.widget_ids.get(widget[0]):
                cs.widget_states.widgets.add().CopyFrom(kept)
        self._pending.append(time.perf_counter())
        await self._ws.send(msg.SerializeToString())

    # --- what the server sends ----------------------------------------------------------------------
    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                if kind == "delta":
                    self._element(msg.delta)
                elif kind == "script_finished":
                    if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue  # a newer request interrupted it: the run that answers both is still to come
                    now = time.perf_counter()
                    # Streamlit answers requests that overlap with one run: each is answered when it ends.
                    self.visit.latencies.extend(now - sent for sent in self._pending)
                    self._pending.clear()
                    if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        self.visit.errors.append("the script did not compile")
                    self._first_run.set()
                elif kind == "auto_rerun":
                    self._timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
                elif kind == "stop_auto_rerun":
                    for fragment_id in msg.stop_auto_rerun.fragment_ids:
                        self._timer(fragment_id, 0.0)
                elif kind == "navigation":  # with st.navigation, the page's hash comes here (new_session's is app.py's)
                    self.page_script_hash = msg.navigation.page_script_hash
                    self.visit.navigated = True
                elif kind == "page_info_changed":
                    self.query = msg.page_info_changed.query_string
        except websockets.ConnectionClosed as err:
            if err.rcvd is None or err.rcvd.code not in (1000, 1001):
                self.visit.errors.append(f"connection closed: {err}")
        except asyncio.CancelledError:
            raise
        except Exception as err:  # noqa: BLE001 - a broken visitor is an error to count, not a crash
            self.visit.errors.append(f"{type(err).__name__}: {err}")

    def _element(self, delta) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            # The last frames say where: a message alone named a race that could have been anywhere.
            where = " | ".join(line.strip() for line in element.exception.stack_trace)
            self.visit.errors.append(f"exception on the page: {element.exception.message[:200]} (at {where[:3000]})")
        elif kind == "alert" and element.alert.format == 1:  # ERROR
            self.visit.errors.append(f"error box: {element.alert.body[:200]}")
        elif kind == "metric":
            self.visit.metrics[element.metric.label] = element.metric.body
            if element.metric.label == "Step":
                try:
                    self.visit.step_log.append((time.perf_counter(), int(element.metric.body.replace(",", ""))))
                except ValueError:
                    pass
        if kind:
            body = getattr(element, kind)
            wid = getattr(body, "id", "")
            if wid and "-" in wid:
                self.widget_ids[wid.rsplit("-", 1)[-1]] = wid  # ids end in "-<key>" for keyed widgets
            if kind == "bidi_component" and wid and body.json:  # what the page tells its component (a canvas)
                try:
                    self.visit.components[wid.rsplit("-", 1)[-1]] = json.loads(body.json)
                except ValueError:
                    pass

    def _timer(self, fragment_id: str, interval: float) -> None:
        old = self._timers.pop(fragment_id, None)
        if old is not None:
            old.cancel()

        async def tick() -> None:
            while True:
                await asyncio.sleep(interval)
                await self.rerun(fragment_id=fragment_id)

        if interval > 0:
            self._timers[fragment_id] = asyncio.create_task(tick())

    def stop_timers(self) -> None:
        for task in self._timers.values():
            task.cancel()
        self._timers.clear()


def canvas_drag_value(seq: int, p_loc: float, dragging: bool = True) -> str:
    """What the KL page's drag canvas sends mid-drag (app_core/wire/canvas_wire.py's `from_canvas` form)."""
    value = {"mode": "continuous", "p": {"family": "gaussian", "loc": p_loc, "sd": 1.0},
             "q": {"family": "gaussian", "loc": 1.0, "sd": 1.5}, "pBars": [0.1] * 10, "qBars": [0.1] * 10,
             "seq": seq, "dragging": dragging}
    return json.dumps({"value": value})
