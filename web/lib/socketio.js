/*
 * A minimal Socket.IO v5 client over Engine.IO v4, written for Danmaku Deck.
 *
 * Just what the two pages need: one namespace per connection, events in both
 * directions, acknowledgements with timeouts, WebSocket with a fallback to
 * HTTP long-polling, the upgrade from long-polling back to WebSocket, and
 * reconnecting forever with exponential back-off. No binary packets, no multiplexing.
 *
 * A page falls back to long-polling when its WebSocket fails, yet the cause is often
 * brief: in a reconnect storm the server refuses handshakes from a busy address (429,
 * which a browser hides from a WebSocket). So a polling page probes a WebSocket into
 * the same session (the Engine.IO upgrade, Socket._startProbe), at once and then less and
 * less often, and moves over when it answers: same session, same namespace, nothing lost.
 *
 *   const s = DanmakuSocket.connect('/send', {
 *     auth: {client_id: 'abc'},        // or a function returning the auth object
 *     onConnect() {}, onDisconnect(reason) {},
 *     onEvent(name, data) {},
 *     onStatus(status) {},              // 'connecting' | 'connected' | 'reconnecting' | 'closed'
 *   });
 *   s.emit('danmaku', {...}, {timeoutMs: 8000}).then(ack => ..., err => ...);
 *   s.transport   // 'websocket' | 'polling' | null
 *   s.close(); s.open();
 *
 * Every request carries `lb=<random, one per page>`: behind HAProxy (deploy/haproxy.cfg)
 * it picks this page's worker, so a hall behind one NAT address spreads over the workers
 * and a long-polling page keeps reaching the worker that holds its session. A single
 * server ignores it.
 *
 * Wire format, for the reader (every frame is text):
 *   Engine.IO packet = one digit type + payload: 0 open {sid, upgrades, pingInterval,
 *     pingTimeout}, 1 close, 2 ping (from the server in v4), 3 pong, 4 message, 5 upgrade,
 *     6 noop.
 *   Polling bodies hold several Engine.IO packets separated by "\x1e".
 *   Upgrade: a WebSocket with "&sid=" says "2probe", the server answers "3probe" and ends
 *     the pending GET with a noop; the client lets its requests in flight finish, then
 *     says "5" and carries on over the WebSocket.
 *   A Socket.IO packet travels inside an Engine.IO "4" message:
 *     type digit, then "/ns," unless the namespace is "/", then an optional ack id, then JSON:
 *     0 CONNECT "40/send,{auth}"  1 DISCONNECT "41/send,"  2 EVENT "42/send,17["name",data]"
 *     3 ACK "43/send,17[data]"    4 CONNECT_ERROR "44/send,{"message":...}"
 */
(function (global) {
  'use strict';

  var PATH = '/socket.io/';
  var WS_OPEN_TIMEOUT_MS = 3000; // iOS WebKit over plain HTTP can hang a WebSocket silently
  var BACKOFF_MIN_MS = 500;
  var BACKOFF_MAX_MS = 5000;
  var DEFAULT_ACK_TIMEOUT_MS = 10000;
  // Waits before the next upgrade probe after 1, 2, 3... failed ones (halved at random):
  // a network that blocks WebSocket is asked at most every five minutes.
  var PROBE_DELAYS_MS = [10000, 30000, 60000, 120000, 300000];
  // While an upgrade is under way the server answers every GET at once with a noop.
  var NOOP_REPOLL_MS = 1000;
  // Noops in a row on polling, with no probe of ours alive, that mean the session is stuck.
  var STRAY_NOOPS_MAX = 3;

  function noop() {}

  // The balancer's key for this page (see above): random, and the same on every reconnect.
  var LB = Math.random().toString(36).slice(2, 10) + Date.now().toString(36).slice(-4);

  function query(extra) {
    return PATH + '?EIO=4&' + extra + '&lb=' + LB + '&t=' + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  }

  /* ---------- Engine.IO transports: each calls onOpen(info), onPacket(str), onClose(reason) ---------- */

  // With `sid` it joins that polling session as an upgrade probe: it says "2probe" once open.
  function WebSocketTransport(handlers, sid) {
    var proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var closed = false;
    var ws;
    function finish(reason) {
      if (closed) return;
      closed = true;
      if (ws) {
        ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
        try { ws.close(); } catch (e) { /* already closing */ }
      }
      handlers.onClose(reason);
    }
    try {
      var session = sid ? '&sid=' + encodeURIComponent(sid) : '';
      ws = new WebSocket(proto + location.host + query('transport=websocket' + session));
    } catch (e) { // e.g. a CSP that does not count ws: as 'self' (older Safari)
      setTimeout(function () { finish('websocket refused'); }, 0);
      return {name: 'websocket', send: noop, close: function (reason) { finish(reason || 'client close'); }};
    }
    if (sid) ws.onopen = function () { ws.send('2probe'); };
    ws.onmessage = function (ev) { if (typeof ev.data === 'string') handlers.onPacket(ev.data); };
    ws.onerror = function () { finish('websocket error'); };
    ws.onclose = function () { finish('websocket closed'); };
    return {
      name: 'websocket',
      send: function (packet) { if (!closed) ws.send(packet); },
      close: function (reason) {
        if (!closed && ws.readyState === 1) { try { ws.send('1'); } catch (e) { /* ignore */ } }
        finish(reason || 'client close');
      },
    };
  }

  function PollingTransport(handlers) {
    // One GET in flight at a time (the server closes the session on a second one),
    // and one POST at a time: outgoing packets wait in `queue` and go together.
    var sid = null;
    var closed = false;
    var queue = [];
    var posting = false;
    var getXhr = null;
    var postXhr = null;
    var repoll = null; // the timer of a GET put off after a noop
    var handover = null; // pause()'s callback: the transport stops and hands over `queue`
    var receiving = false; // passing on one answer's packets: hand over only after the last

    function request(method, body, timeoutMs, done) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, query('transport=polling' + (sid ? '&sid=' + encodeURIComponent(sid) : '')), true);
      xhr.timeout = timeoutMs;
      if (body !== null) xhr.setRequestHeader('Content-Type', 'text/plain;charset=UTF-8');
      xhr.onload = function () {
        if (xhr.status === 200) done(null, xhr.responseText);
        else done(new Error('HTTP ' + xhr.status));
      };
      xhr.onerror = function () { done(new Error('network error')); };
      xhr.ontimeout = function () { done(new Error('timeout')); };
      xhr.send(body);
      return xhr;
    }
    function finish(reason) {
      if (closed) return;
      closed = true;
      clearTimeout(repoll);
      if (getXhr) getXhr.abort();
      if (postXhr) postXhr.abort();
      handlers.onClose(reason);
    }
    // Passes the packets on; true when there was more than noops among them.
    function receive(text) {
      var packets = text.split('\x1e');
      var news = false;
      receiving = true;
      try {
        for (var i = 0; i < packets.length && !closed; i++) {
          if (!packets[i]) continue;
          if (packets[i] !== '6') news = true;
          handlers.onPacket(packets[i]); // may answer (a pong, an ack) through send()
        }
      } finally {
        receiving = false;
      }
      return news;
    }
    // Once paused and with nothing in flight, the transport is done: its unsent packets go
    // to the caller. The server is not told: the session lives on over the WebSocket.
    function settle() {
      if (closed || !handover || receiving || getXhr || posting) return;
      closed = true;
      var unsent = queue;
      queue = [];
      handover(unsent);
    }
    function poll(timeoutMs) {
      if (closed) return;
      if (handover) { settle(); return; }
      getXhr = request('GET', null, timeoutMs, function (err, text) {
        getXhr = null;
        if (closed) return;
        if (err) { finish('poll failed: ' + err.message); return; }
        var news = receive(text);
        if (closed) return;
        // A noop alone: the server is switching this session to a WebSocket (ours, or one
        // that failed). Asking again at once would spin until it is done.
        if (news || handover) poll(timeoutMs);
        else repoll = setTimeout(function () { repoll = null; poll(timeoutMs); }, NOOP_REPOLL_MS);
      });
    }
    function flush() {
      if (closed) return;
      if (handover) { settle(); return; }
      if (posting || !queue.length || !sid) return;
      posting = true;
      var body = queue.join('\x1e');
      queue = [];
      postXhr = request('POST', body, 10000, function (err) {
        posting = false;
        postXhr = null;
        if (closed) return;
        if (err) { finish('post failed: ' + err.message); return; }
        flush();
      });
    }
    // The handshake is a plain GET without sid; its answer is the open packet.
    getXhr = request('GET', null, 10000, function (err, text) {
      getXhr = null;
      if (closed) return;
      if (err) { finish('handshake failed: ' + err.message); return; }
      var first = text.split('\x1e')[0];
      if (first.charAt(0) !== '0') { finish('bad handshake'); return; }
      var info;
      try { info = JSON.parse(first.slice(1)); } catch (e) { finish('bad handshake'); return; }
      sid = info.sid;
      receive(text);
      // A GET waits until the server has something; a ping comes every pingInterval.
      poll((info.pingInterval || 25000) + (info.pingTimeout || 20000) + 5000);
      flush();
    });
    return {
      name: 'polling',
      send: function (packet) { queue.push(packet); flush(); },
      // Stop sending and polling; once the GET and POST in flight are answered, call
      // done(unsent packets). The transport is then finished without a close packet.
      pause: function (done) {
        handover = done;
        clearTimeout(repoll);
        repoll = null;
        settle();
      },
      close: function (reason) {
        if (!closed && sid) {
          // Best effort: tell the server now instead of letting its ping time out.
          try { request('POST', '1', 2000, noop); } catch (e) { /* ignore */ }
        }
        finish(reason || 'client close');
      },
    };
  }

  /* ---------- Socket.IO packets ---------- */

  function encode(type, nsp, id, data) {
    var s = '4' + type;
    if (nsp !== '/') s += nsp + ',';
    if (id !== null && id !== undefined) s += id;
    if (data !== undefined) s += JSON.stringify(data);
    return s;
  }

  // `s` is an Engine.IO message payload (the "4" already stripped).
  function decode(s) {
    var p = {type: +s.charAt(0), nsp: '/', id: null, data: undefined};
    var i = 1;
    if (p.type === 5 || p.type === 6) i = s.indexOf('-', i) + 1; // binary attachment count: unused here
    if (s.charAt(i) === '/') {
      var comma = s.indexOf(',', i);
      if (comma < 0) { p.nsp = s.slice(i); return p; }
      p.nsp = s.slice(i, comma);
      i = comma + 1;
    }
    var start = i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i > start) p.id = +s.slice(start, i);
    if (i < s.length) p.data = JSON.parse(s.slice(i));
    return p;
  }

  /* ---------- The socket: one namespace, reconnecting forever ---------- */

  function Socket(nsp, opts) {
    this.nsp = nsp || '/';
    this.opts = opts || {};
    this.status = 'closed';
    this.connected = false; // namespace joined
    this.transport = null;
    this._engine = null;
    this._wanted = false; // open() was called and close() was not
    this._attempt = 0; // consecutive failed attempts, for the back-off
    this._everConnected = false;
    this._wsFailed = false; // this attempt's WebSocket failed and polling is being tried
    // Set when WebSocket failed while polling worked, so reconnects skip the WebSocket's
    // timeout; cleared when an upgrade to WebSocket succeeds.
    this._preferPolling = false;
    this._sid = null; // the Engine.IO session, which an upgrade probe joins
    this._canUpgrade = false; // the server offers this polling session a WebSocket upgrade
    this._probe = null; // the upgrade probe in flight (a WebSocket transport), if any
    this._probeFailures = 0; // consecutive failed probes, for their back-off
    this._strayNoops = 0; // noops in a row on polling while no probe is alive
    // probe: the next upgrade probe, or the deadline of the one in flight.
    this._timers = {retry: null, ping: null, wsOpen: null, probe: null};
    this._ackId = 0;
    this._acks = {}; // id -> {resolve, reject, timer}
    this._buffer = []; // {id, packet} emitted while not connected
    var self = this;
    this._lastRx = 0; // Date.now() of the last packet from the server
    this._pingInterval = 25000;
    this._wake = function () {
      // Back from background (WeChat, lock screen) or back online.
      if (document.visibilityState === 'hidden' || !self._wanted) return;
      if (!self._engine) { // waiting out a back-off: retry at once
        clearTimeout(self._timers.retry);
        self._start();
      } else if (self._lastRx && Date.now() - self._lastRx > self._pingInterval + 2000) {
        // The server pings every pingInterval: silence longer than that means the link died
        // while the page slept (its timers were frozen too). Reconnect now, not after the
        // ping timeout.
        self._dropEngine('stale after background');
      }
    };
    document.addEventListener('visibilitychange', this._wake);
    global.addEventListener('online', this._wake);
    this.open();
  }

  Socket.prototype._setStatus = function (status) {
    if (this.status === status) return;
    this.status = status;
    (this.opts.onStatus || noop)(status);
  };

  Socket.prototype.open = function () {
    if (this._wanted) return this;
    this._wanted = true;
    this._attempt = 0;
    this._start();
    return this;
  };

  Socket.prototype.close = function () {
    this._wanted = false;
    clearTimeout(this._timers.retry);
    this._dropEngine('client close');
    this._setStatus('closed');
    return this;
  };

  Socket.prototype._start = function () {
    this._setStatus(this._everConnected || this._attempt > 0 ? 'reconnecting' : 'connecting');
    this._openEngine(this._preferPolling || typeof WebSocket === 'undefined' ? 'polling' : 'websocket');
  };

  Socket.prototype._openEngine = function (kind) {
    var self = this;
    var opened = false;
    var engine;
    var handlers = {
      onPacket: function (packet) { if (self._engine === engine) self._onEnginePacket(packet, onOpen); },
      onClose: function (reason) {
        if (self._engine !== engine) return;
        self._engine = null;
        clearTimeout(self._timers.wsOpen);
        if (!opened && kind === 'websocket' && self._wanted) {
          // Blocked, refused or hung: try long-polling straight away.
          self._wsFailed = true;
          self._openEngine('polling');
          return;
        }
        self._onEngineClose(reason);
      },
    };
    function onOpen(info) {
      opened = true;
      clearTimeout(self._timers.wsOpen);
      if (kind === 'polling' && self._wsFailed) self._preferPolling = true;
      self.transport = kind;
      self._sid = info.sid;
      self._canUpgrade = kind === 'polling' && (info.upgrades || []).indexOf('websocket') >= 0;
      self._pingInterval = info.pingInterval || 25000;
      self._pingDeadline = self._pingInterval + (info.pingTimeout || 20000);
      self._armPing();
      // Join the namespace with fresh auth (the show page's last_id moves on).
      var auth = typeof self.opts.auth === 'function' ? self.opts.auth() : self.opts.auth;
      engine.send(encode(0, self.nsp, null, auth || undefined));
    }
    if (kind === 'websocket') self._wsFailed = false;
    engine = kind === 'websocket' ? WebSocketTransport(handlers) : PollingTransport(handlers);
    self._engine = engine;
    if (kind === 'websocket') {
      self._timers.wsOpen = setTimeout(function () {
        if (!opened && self._engine === engine) engine.close('websocket open timeout'); // → polling
      }, WS_OPEN_TIMEOUT_MS);
    }
  };

  Socket.prototype._armPing = function () {
    var self = this;
    clearTimeout(this._timers.ping);
    // The server pings every pingInterval; silence past interval + timeout means a dead link.
    this._timers.ping = setTimeout(function () { self._dropEngine('ping timeout'); }, this._pingDeadline);
  };

  Socket.prototype._dropEngine = function (reason) {
    var engine = this._engine;
    if (engine) engine.close(reason); // its onClose runs _onEngineClose
    else this._onEngineClose(reason);
  };

  Socket.prototype._onEnginePacket = function (packet, onOpen) {
    var type = packet.charAt(0);
    this._lastRx = Date.now();
    if (type !== '6') this._strayNoops = 0;
    if (type === '0') {
      try { onOpen(JSON.parse(packet.slice(1))); } catch (e) { this._dropEngine('bad open packet'); }
    } else if (type === '2') {
      this._armPing();
      this._engine.send('3' + packet.slice(1));
    } else if (type === '1') {
      this._dropEngine('server close');
    } else if (type === '4') {
      var p;
      try { p = decode(packet.slice(1)); } catch (e) { return; }
      if (p.nsp === this.nsp) this._onSocketPacket(p);
    } else if (type === '6' && this.transport === 'polling' && !this._probe) {
      // A probe that reached the server and died before "2probe" leaves python-engineio
      // waiting for it: it answers each GET with a noop, and nothing else, until the
      // session times out. Start a new session rather than sit deaf that long.
      if (++this._strayNoops >= STRAY_NOOPS_MAX) this._dropEngine('upgrade left hanging');
    }
  };

  Socket.prototype._onSocketPacket = function (p) {
    if (p.type === 0) { // CONNECT answered: joined
      this.connected = true;
      this._everConnected = true;
      this._attempt = 0;
      var buffered = this._buffer;
      this._buffer = [];
      for (var i = 0; i < buffered.length; i++) this._engine.send(buffered[i].packet);
      this._setStatus('connected');
      (this.opts.onConnect || noop)(p.data);
      this._scheduleProbe();
    } else if (p.type === 4) { // CONNECT_ERROR: refused; back off and try again
      (this.opts.onConnectError || noop)(p.data);
      this._dropEngine('connect error');
    } else if (p.type === 1) { // the server left us: treat like a dropped link
      this._dropEngine('server disconnect');
    } else if (p.type === 2 && Array.isArray(p.data)) {
      (this.opts.onEvent || noop)(p.data[0], p.data[1]);
      if (p.id !== null && this._engine) this._engine.send(encode(3, this.nsp, p.id, []));
    } else if (p.type === 3 && p.id !== null) {
      var pending = this._acks[p.id];
      if (pending) {
        delete this._acks[p.id];
        clearTimeout(pending.timer);
        pending.resolve(Array.isArray(p.data) ? p.data[0] : p.data);
      }
    }
  };

  Socket.prototype._onEngineClose = function (reason) {
    var self = this;
    var wasConnected = this.connected;
    this.connected = false;
    this._engine = null;
    clearTimeout(this._timers.ping);
    clearTimeout(this._timers.probe);
    if (this._probe) { // it would join a session that is gone
      var probe = this._probe;
      this._probe = null;
      probe.close('link lost');
    }
    // Acks for packets already on the wire are lost with the link: fail them now so the
    // caller can retry (with the same cid) once we are back.
    for (var id in this._acks) {
      if (this._buffer.some(function (b) { return String(b.id) === id; })) continue;
      var pending = this._acks[id];
      delete this._acks[id];
      clearTimeout(pending.timer);
      pending.reject(new Error('disconnected'));
    }
    if (wasConnected) (this.opts.onDisconnect || noop)(reason);
    if (!this._wanted) return;
    this._setStatus('reconnecting');
    var delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, this._attempt));
    delay = delay / 2 + Math.random() * delay / 2; // jitter: a whole hall must not retry in step
    this._attempt++;
    clearTimeout(this._timers.retry);
    this._timers.retry = setTimeout(function () { self._start(); }, delay);
  };

  /* ---------- The upgrade from long-polling to WebSocket ---------- */

  // On long-polling, try a WebSocket again: at once the first time (a crowd's handshakes
  // may only have been refused for a moment), then less and less often.
  Socket.prototype._scheduleProbe = function () {
    var self = this;
    if (this.transport !== 'polling' || !this._canUpgrade || typeof WebSocket === 'undefined') return;
    var delay = 0;
    if (this._probeFailures > 0) {
      delay = PROBE_DELAYS_MS[Math.min(this._probeFailures, PROBE_DELAYS_MS.length) - 1];
      delay = delay / 2 + Math.random() * delay / 2; // jitter, as for reconnects
    }
    clearTimeout(this._timers.probe);
    this._timers.probe = setTimeout(function () { self._startProbe(); }, delay);
  };

  // A WebSocket joins the polling session ("2probe", "3probe"); the polling transport then
  // finishes its requests in flight, "5" tells the server to switch, and the packets that
  // were queued meanwhile follow on the WebSocket. The namespace stays joined throughout.
  Socket.prototype._startProbe = function () {
    var self = this;
    var polling = this._engine;
    if (!polling || polling.name !== 'polling' || !this.connected || this._probe) return;
    var paused = false; // "3probe" came: polling is winding down
    var upgraded = false; // "5" sent: the probe is the engine now
    var probe = WebSocketTransport({
      onPacket: function (packet) {
        if (upgraded) {
          if (self._engine === probe) self._onEnginePacket(packet, noop);
        } else if (self._probe !== probe || paused) {
          return;
        } else if (packet !== '3probe') {
          probe.close('bad probe answer');
        } else {
          paused = true;
          clearTimeout(self._timers.probe);
          polling.pause(switchOver);
        }
      },
      onClose: function (reason) {
        if (upgraded) {
          if (self._engine === probe) self._onEngineClose(reason);
          return;
        }
        if (self._probe !== probe) return; // closed with its polling session
        self._probe = null;
        clearTimeout(self._timers.probe);
        if (paused) return; // switchOver finds it gone
        self._probeFailures++;
        self._scheduleProbe();
      },
    }, this._sid);
    function switchOver(unsent) {
      if (self._engine !== polling) return; // the link was dropped meanwhile
      if (self._probe !== probe) {
        // The WebSocket died after "3probe": polling has stopped too, so the link is lost.
        self._probeFailures++;
        self._onEngineClose('websocket upgrade failed');
        return;
      }
      upgraded = true;
      self._probe = null;
      self._engine = probe;
      self.transport = 'websocket';
      self._preferPolling = false;
      self._probeFailures = 0;
      probe.send('5');
      for (var i = 0; i < unsent.length; i++) probe.send(unsent[i]);
    }
    this._probe = probe;
    clearTimeout(this._timers.probe);
    this._timers.probe = setTimeout(function () {
      if (self._probe === probe && !paused) probe.close('websocket probe timeout');
    }, WS_OPEN_TIMEOUT_MS);
  };

  // Emit an event and wait for its ack. Rejects on timeout or when the link drops;
  // while disconnected the packet waits in a buffer until the namespace is joined.
  Socket.prototype.emit = function (event, data, options) {
    var self = this;
    var timeoutMs = (options && options.timeoutMs) || DEFAULT_ACK_TIMEOUT_MS;
    var id = this._ackId++;
    var packet = encode(2, this.nsp, id, [event, data]);
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        delete self._acks[id];
        self._buffer = self._buffer.filter(function (b) { return b.id !== id; });
        reject(new Error('timeout'));
      }, timeoutMs);
      self._acks[id] = {resolve: resolve, reject: reject, timer: timer};
      if (self.connected && self._engine) self._engine.send(packet);
      else self._buffer.push({id: id, packet: packet});
    });
  };

  global.DanmakuSocket = {
    connect: function (nsp, opts) { return new Socket(nsp, opts); },
  };
})(window);
