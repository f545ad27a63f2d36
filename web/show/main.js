/*
 * Projector page (GET /show): the danmaku wall.
 *
 * URL parameters, all optional (e.g. /show?bg=transparent&qr=0 for an OBS browser source):
 *   bg=black      background: black (default) | transparent (OBS) | a colour rrggbb or %23rrggbb
 *                 (a bare "#" starts the URL fragment; it is understood too) | the file name of an
 *                 image put in web/media/, served as /assets/media/<name> (letters, digits, _ . -)
 *   qr=1          0 hides the QR code and join URL; the lanes then reach down to the foot
 *   speed=1       speed factor, 0.2–5: at 1 a comment crosses the screen in 9 s; every
 *                 scrolling comment moves at the same px/s (screen width / 9 s × speed)
 *   size=1        font scale, 0.15–3: at 1 a line is 1/16 of the screen height (12 px at least)
 *   area=1        fraction of the screen height, from the top, that the lanes use, 0.25–1
 *   opacity=1     opacity of the comments, 0.2–1
 *   max=0         most comments on screen at once (0 = as many as the lanes hold); the others
 *                 wait in the queue and come on as room frees up: none is ever dropped
 *   nick=1        0 hides the senders' nicks
 *   avatar=1      0 hides the generated avatars (the nick's first character on a colour
 *                 picked from the sender; a silhouette when the nick is empty)
 *   lang=         zh | en for the page's own words (default: the browser's Accept-Language)
 * Keys: f toggles full screen (so does a double-click). The pointer hides when it rests; the
 * screen is kept awake (Screen Wake Lock) where the browser allows it: secure contexts, e.g.
 * http://127.0.0.1:8080/show on the server's own machine, not a LAN http:// address.
 *
 * How comments are placed:
 * - The screen above the QR panel (and within `area`) is cut into lanes one line high.
 *   Scrolling comments all move at the same speed in px/s, so a lane is free again as soon as
 *   the previous comment in it has fully entered the screen plus a gap: it can never be caught
 *   up with, and nothing overlaps.
 * - Top/bottom comments stand still, centred, for a few seconds, one per lane: top ones from the
 *   top lane down; bottom ones first in the strip left of the QR panel (narrower, long ones are
 *   shrunk to fit), then from the lowest scrolling lane up. They only take a lane that no
 *   scrolling comment will cross; if every lane has traffic, the one that clears soonest is
 *   kept free of new scrolling comments until it has cleared.
 * - When no lane is free (or `max` are on screen) a comment waits in a FIFO queue (one per
 *   mode): nothing approved is ever dropped. Idle replays are only queued when nothing else
 *   waits.
 * - Rendering is DOM, not canvas (see benchmarks/show_fps.py for the measurements): every
 *   scrolling comment moves at the same speed, so each is placed once inside one layer, #flow,
 *   and one requestAnimationFrame loop moves only #flow (a transform, whole pixels) — one
 *   style write per frame whether 10 or 1,000 comments are on screen.
 * - Moderator commands: `state {paused}` freezes everything where it is (and the static
 *   comments' clocks); `retract {id}` takes that comment off at once, or out of the queue;
 *   `clear` empties the screen and the queues.
 * - Lottery: `lottery` with no winners and no seed is a committed round (the prize, how many
 *   win it, the SHA-256 of the seed fixed before the draw); with winners it is a draw (a roll,
 *   then the winners, the seed and the hash's first digits). The same draw id again is a
 *   void: the winners change in place. `lottery_clear` hides it. After a draw the QR corner
 *   names <origin>/draws, where the night's record is.
 * Audience text and nicks enter the DOM through textContent only.
 */
(function () {
  'use strict';

  var STATIC_MS = 5000;
  var CROSS_SECONDS = 9; // at speed=1
  var COLOR_RE = /^#[0-9a-fA-F]{6}$/;
  var SEEN_MAX = 5000;

  /* ---------- parameters ---------- */
  // "?bg=#102030&qr=0" puts everything after "#" into the fragment: read it as parameters too.
  var params = new URLSearchParams(location.search.slice(1) + (location.hash ? location.hash : ''));
  function number(name, fallback, min, max) {
    var v = parseFloat(params.get(name));
    return isFinite(v) ? Math.max(min, Math.min(max, v)) : fallback;
  }
  function flag(name, fallback) {
    var v = params.get(name);
    return v === '0' ? false : v === '1' ? true : fallback;
  }
  var speedFactor = number('speed', 1, 0.2, 5);
  var sizeScale = number('size', 1, 0.15, 3);
  var area = number('area', 1, 0.25, 1);
  var opacity = number('opacity', 1, 0.2, 1);
  var maxOnScreen = Math.round(number('max', 0, 0, 5000)); // 0: no cap but the lanes
  var showQr = flag('qr', true);
  var showNick = flag('nick', true);
  var showAvatar = flag('avatar', true);

  var root = document.documentElement;
  (function background(bg) {
    if (!bg) return;
    if (bg === 'transparent') root.style.setProperty('--bg', 'transparent');
    else if (bg === 'black') root.style.setProperty('--bg', '#000');
    else if (/^#?[0-9a-fA-F]{6}$/.test(bg)) root.style.setProperty('--bg', bg.charAt(0) === '#' ? bg : '#' + bg);
    else if (/^[\w.-]+$/.test(bg) && !/^\.+$/.test(bg)) {
      // Validated above: no quote, slash or parenthesis can leave the url().
      root.style.setProperty('--bg-image', 'url("/assets/media/' + bg + '")');
      root.classList.add('bg-image');
    }
  })(params.get('bg'));

  var STRINGS = {
    zh: {join: '扫码发弹幕', paused: '已暂停', connecting: '连接中…', reconnecting: '重新连接中…',
      connected: '', lottery: '抽奖中…', winners: '恭喜中奖', none: '没有参与者', anon: '匿名观众',
      round: '抽奖', committed: '本轮种子已提前锁定，开奖后公布', seed: '种子', voided: '作废',
      record: '抽奖记录', colon: '：', open: '（', close: '）', sep: '、',
      reasons: {absent: '不在场', duplicate: '同一人重复中奖', staff: '工作人员'}},
    en: {join: 'Scan to comment', paused: 'Paused', connecting: 'Connecting…',
      reconnecting: 'Reconnecting…', connected: '', lottery: 'Lucky draw…', winners: 'Congratulations!',
      none: 'No entrants', anon: 'Anonymous', round: 'Lucky draw',
      committed: 'Seed locked in before the draw, revealed after it', seed: 'seed', voided: 'Voided',
      record: 'Draw record', colon: ': ', open: ' (', close: ')', sep: ', ',
      reasons: {absent: 'absent', duplicate: 'duplicate person', staff: 'staff'}},
  };
  var fixedLang = params.get('lang') === 'zh' || params.get('lang') === 'en' ? params.get('lang') : null;
  var T = STRINGS[fixedLang || (/^zh/i.test(navigator.language || '') ? 'zh' : 'en')];

  var stage = document.getElementById('stage');
  var joinPanel = document.getElementById('join');
  var connEl = document.getElementById('conn');
  var connLabel = document.getElementById('conn-label');
  var pausedEl = document.getElementById('paused');
  if (!showQr) joinPanel.hidden = true;
  if (opacity < 1) stage.style.opacity = String(opacity);

  function applyTexts() {
    root.lang = T === STRINGS.zh ? 'zh-CN' : 'en';
    document.getElementById('join-title').textContent = T.join;
    document.getElementById('paused-label').textContent = T.paused;
    document.getElementById('join-record-label').textContent = T.record;
    connLabel.textContent = T[connEl.getAttribute('data-state')] || '';
  }
  applyTexts();

  /* ---------- join panel and language ---------- */
  var qrImg = document.getElementById('qr');
  var recordUrl = '';
  qrImg.addEventListener('load', layout);
  var infoXhr = new XMLHttpRequest();
  infoXhr.open('GET', '/api/info', true);
  infoXhr.onload = function () {
    try {
      var info = JSON.parse(infoXhr.responseText);
      var url = info.join_url;
      // Short enough to read and type from the back: no scheme, no trailing slash.
      if (typeof url === 'string') {
        document.getElementById('join-url').textContent = url.replace(/^http:\/\//, '').replace(/\/$/, '');
        // The night's draws are public at <origin>/draws: shown under the QR after a draw.
        try {
          recordUrl = new URL(url).origin.replace(/^http:\/\//, '') + '/draws';
          document.getElementById('join-record-url').textContent = recordUrl;
          showRecord();
        } catch (e) { /* no record line */ }
      }
      if (!fixedLang && STRINGS[info.lang] && STRINGS[info.lang] !== T) {
        T = STRINGS[info.lang];
        applyTexts();
      }
    } catch (e) { /* keep the QR alone */ }
    layout();
  };
  infoXhr.send();

  /* ---------- geometry ---------- */
  var W = 0; // viewport width
  var fontPx = 0;
  var laneH = 0;
  var speed = 0; // px per second
  var gap = 0; // space kept between two comments in one lane
  var lanes = []; // above the QR panel, shared: {y, last: newest scrolling item, still, maxW}
  var footLanes = []; // beside the QR panel, bottom comments only, lowest first

  function layout() {
    W = window.innerWidth;
    var H = window.innerHeight;
    fontPx = Math.max(12, Math.round(H / 16 * sizeScale));
    root.style.setProperty('--font', fontPx + 'px');
    speed = W / CROSS_SECONDS * speedFactor;
    gap = Math.round(fontPx * 1.5);
    laneH = Math.round(fontPx * 1.2); // = .dm line-height
    var margin = Math.round(H * 0.02); // projector overscan
    var top = margin;
    var panel = showQr ? joinPanel.getBoundingClientRect() : null;
    // Without the panel, leave a thin strip at the foot for the paused badge and the status dot.
    var bottom = panel ? Math.floor(panel.top) - margin : H - Math.round(H * 0.065);
    if (area < 1) bottom = Math.min(bottom, Math.floor(H * area));
    var count = Math.max(1, Math.floor((bottom - top) / laneH));
    var old = lanes;
    lanes = [];
    for (var i = 0; i < count; i++) {
      lanes.push({y: top + i * laneH, last: old[i] ? old[i].last : null, still: old[i] ? old[i].still : null,
        maxW: W * 0.92});
    }
    // Below the scrolling lanes and left of the QR panel: room for centred bottom comments
    // as wide as keeps them clear of the panel (only when the whole height is in use).
    var oldFoot = footLanes;
    footLanes = [];
    if (panel && area >= 1) {
      var footW = 2 * (panel.left - margin) - W;
      for (var y = H - margin - laneH, k = 0; y >= top + count * laneH && footW > fontPx * 4; y -= laneH, k++) {
        footLanes.push({y: y, last: null, still: oldFoot[k] ? oldFoot[k].still : null, maxW: footW});
      }
    }
  }
  window.addEventListener('resize', layout);
  layout();

  /* ---------- comments ---------- */
  var items = []; // on screen: {id, el, lane, x, w, mode, until}
  // One FIFO per mode. The head of a static queue may carry its built, measured element
  // while it waits for a lane; that lane is kept free of new scrolling comments meanwhile.
  var queues = {scroll: [], top: [], bottom: []};
  var reserved = {top: null, bottom: null};
  var unmeasured = []; // scrolling comments placed in this batch, widths not read yet
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter() : null;

  // The first character as a person sees it (an emoji, a letter with its accent).
  function initial(s) {
    var first = segmenter ? segmenter.segment(s)[Symbol.iterator]().next().value : null;
    return (first ? first.segment : Array.from(s)[0] || '').toUpperCase();
  }

  function hueOf(msg) {
    var h = msg.avatar_hue;
    if (typeof h === 'number' && h >= 0 && h < 360) return Math.floor(h);
    for (var i = 0, sum = 0; i < msg.nick.length; i++) sum = (sum * 31 + msg.nick.charCodeAt(i)) % 360;
    return sum;
  }

  function build(msg) {
    var el = document.createElement('div');
    el.className = 'dm' + (msg.replay ? ' replay' : '') + (msg.mode !== 'scroll' ? ' static' : '');
    el.setAttribute('data-danmaku-id', String(msg.id));
    if (msg.replay) {
      var mark = document.createElement('span');
      mark.className = 'mark';
      mark.textContent = '↻';
      el.appendChild(mark);
    }
    if (showAvatar) {
      var avatar = document.createElement('span');
      var letter = msg.nick ? initial(msg.nick) : '';
      avatar.className = letter ? 'avatar' : 'avatar anon';
      avatar.textContent = letter;
      avatar.style.backgroundColor = 'hsl(' + hueOf(msg) + ',60%,42%)';
      el.appendChild(avatar);
    }
    if (showNick && msg.nick) {
      var nick = document.createElement('span');
      nick.className = 'nick';
      nick.textContent = msg.nick;
      el.appendChild(nick);
    }
    var text = document.createElement('span');
    text.className = 'text';
    text.textContent = msg.text;
    el.appendChild(text);
    if (COLOR_RE.test(msg.color || '')) text.style.color = msg.color;
    return el;
  }

  function place(el, x, y) {
    el.style.transform = 'translate3d(' + x.toFixed(1) + 'px,' + y + 'px,0)';
  }

  // Inside #flow: plain offsets. A transform on each would make each its own layer again.
  function placeInFlow(el, x, y) {
    el.style.left = x + 'px';
    el.style.top = y + 'px';
  }

  function roomOnScreen() {
    return !maxOnScreen || items.length < maxOnScreen;
  }

  function scrollLaneFree(lane) {
    var last = lane.last;
    return !last || xOf(last) + last.w + gap <= W;
  }

  // Where a comment is on screen now.
  function xOf(item) {
    return item.mode === 'scroll' ? item.left - Math.round(flown) : item.x;
  }

  // A static comment standing in the lane is gone before one entering now could reach it.
  function stillGoneInTime(lane, now) {
    var still = lane.still;
    return !still || still.until - now < (W - still.x - still.w) / speed * 1000;
  }

  function placeScroll(msg) {
    // Prefer lanes without a static comment standing in them; one with a static comment
    // that will be gone before this one gets there will do too.
    var lane = null;
    var now = performance.now();
    for (var pass = 0; pass < 2 && !lane; pass++) {
      for (var i = 0; i < lanes.length; i++) {
        var l = lanes[i];
        if (l !== reserved.top && l !== reserved.bottom && (pass === 0 ? !l.still : stillGoneInTime(l, now)) && scrollLaneFree(l)) {
          lane = l;
          break;
        }
      }
    }
    if (!lane) return false;
    var el = build(msg);
    // Placed once, just off the right edge, in the flow's coordinates: the flow moves, it doesn't.
    var left = Math.round(flown) + W;
    placeInFlow(el, left, lane.y);
    flow.appendChild(el);
    // Its width is read once the whole batch is in (one layout, not one per comment); until
    // then the lane counts as taken anyway.
    var item = {id: msg.id, el: el, lane: lane, left: left, x: W, w: 0, mode: 'scroll'};
    lane.last = item;
    items.push(item);
    unmeasured.push(item);
    return true;
  }

  // Seconds until every scrolling comment in the lane is left of `left` (0: clear now).
  function clearsIn(lane, left) {
    var t = 0;
    for (var i = 0; i < items.length; i++) {
      var it = items[i];
      if (it.lane === lane && it.mode === 'scroll') t = Math.max(t, (xOf(it) + it.w - left) / speed);
    }
    return t;
  }

  function placeStatic(msg) {
    // Top comments fill the lanes from the top; bottom ones from the bottom of the screen up,
    // in a lane that no scrolling comment will cross: nothing ever overlaps. When every lane
    // has traffic, the one that clears soonest is held for it (new scrolling comments go
    // elsewhere) and the comment waits for it at the head of its queue.
    var candidates = msg.mode === 'bottom' ? footLanes.concat(lanes.slice().reverse()) : lanes;
    var free = candidates.filter(function (l) { return !l.still; });
    if (!free.length) return false;
    var el = msg.el || build(msg);
    if (!msg.el) {
      place(el, W, -10 * laneH); // off screen while measured
      stage.appendChild(el);
      msg.el = el;
      msg.w = el.offsetWidth;
    }
    var w = msg.w;
    var lane = null;
    var soonest = Infinity;
    for (var k = 0; k < free.length; k++) {
      var t = clearsIn(free[k], (W - Math.min(w, free[k].maxW)) / 2 - gap);
      if (t < soonest - 0.5) { soonest = t; lane = free[k]; } // nearer the edge unless clearly later
      if (t <= 0) break;
    }
    if (soonest > 0) {
      reserved[msg.mode] = lane;
      return false;
    }
    reserved[msg.mode] = null;
    msg.el = null;
    if (w > lane.maxW) { // too long to stand still on one line: shrink it to fit
      el.style.fontSize = Math.floor(fontPx * lane.maxW / w) + 'px';
      w = el.offsetWidth;
    }
    var item = {id: msg.id, el: el, lane: lane, x: (W - w) / 2, w: w, mode: msg.mode,
      until: performance.now() + STATIC_MS};
    place(el, item.x, lane.y + Math.max(0, Math.round((laneH - el.offsetHeight) / 2)));
    lane.still = item;
    items.push(item);
    return true;
  }

  function removeItem(item) {
    if (item.el.parentNode) item.el.parentNode.removeChild(item.el);
    if (item.lane.last === item) item.lane.last = null;
    if (item.lane.still === item) item.lane.still = null;
  }

  function drain() {
    if (paused) return; // a frozen wall takes nothing new; it all waits for the resume
    var q = queues.scroll;
    while (q.length && roomOnScreen() && placeScroll(q[0])) q.shift();
    for (var i = 0; i < unmeasured.length; i++) unmeasured[i].w = unmeasured[i].el.offsetWidth;
    unmeasured = [];
    q = queues.top;
    while (q.length && roomOnScreen() && placeStatic(q[0])) q.shift();
    q = queues.bottom;
    while (q.length && roomOnScreen() && placeStatic(q[0])) q.shift();
  }

  // Every scrolling comment moves at the same speed, so they all sit still inside one layer,
  // #flow, and only #flow moves: one transform per frame however many are on screen. Whole
  // pixels: a fractional offset makes the browser paint the layer's text again every frame.
  var flow = document.getElementById('flow');
  var flown = 0; // px the flow has moved left so far
  var REBASE_PX = 1e6; // keep coordinates small over a long evening

  // Start the flow's coordinates again from 0; the comments keep their place on screen.
  function rebase() {
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (item.mode !== 'scroll') continue;
      item.left -= Math.round(flown);
      placeInFlow(item.el, item.left, item.lane.y);
    }
    flown = 0;
  }

  // Comments that left the screen are taken out, and waiting ones let in, a few times a
  // second rather than every frame: in the frames between, the only change is #flow's
  // transform, which the browser applies without re-layering the page.
  var CHORES_MS = 200;
  var lastChores = 0;

  var lastFrame = 0;
  function frame(now) {
    // Clamp the step so a tab that was in the background does not jump everything at once.
    var dt = lastFrame ? Math.min(0.25, (now - lastFrame) / 1000) : 0;
    lastFrame = now;
    if (!paused) {
      flown += speed * dt;
      flow.style.transform = 'translateX(' + -Math.round(flown) + 'px)';
    }
    if (!paused && now - lastChores >= CHORES_MS) {
      lastChores = now;
      var keep = [];
      var scrolling = 0;
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        if (item.mode === 'scroll') {
          item.x = item.left - Math.round(flown);
          if (item.x + item.w < 0) { removeItem(item); continue; }
          scrolling++;
        } else if (now >= item.until) {
          removeItem(item);
          continue;
        }
        keep.push(item);
      }
      items = keep;
      if ((scrolling === 0 && flown > W) || flown > REBASE_PX) {
        rebase();
        flow.style.transform = 'translateX(0)';
      }
      drain();
    }
    requestAnimationFrame(frame);
  }

  /* ---------- moderator commands ---------- */
  var paused = false;
  var pausedAt = 0;
  requestAnimationFrame(frame);

  function setPaused(value) {
    value = !!value;
    pausedEl.hidden = !value;
    root.classList.toggle('paused', value);
    if (value === paused) return;
    paused = value;
    var now = performance.now();
    if (value) {
      pausedAt = now;
    } else {
      // Static comments get back the time they stood frozen.
      for (var i = 0; i < items.length; i++) {
        if (items[i].until) items[i].until += now - pausedAt;
      }
      drain();
    }
  }

  function retract(id) {
    remember(id); // a catch-up after a reconnect must not bring it back
    items = items.filter(function (item) {
      if (item.id !== id) return true;
      removeItem(item);
      return false;
    });
    function keep(m) { return m.id !== id; }
    for (var mode in queues) {
      queues[mode].forEach(function (m) { if (m.id === id) unbuild(m); });
      queues[mode] = queues[mode].filter(keep);
    }
    drain();
  }

  function clearWall() {
    for (var i = 0; i < items.length; i++) removeItem(items[i]);
    items = [];
    for (var mode in queues) {
      queues[mode].forEach(unbuild);
      queues[mode] = [];
    }
  }

  // A queued static comment that was built to be measured: take its element away.
  function unbuild(m) {
    if (!m.el) return;
    if (m.el.parentNode) m.el.parentNode.removeChild(m.el);
    m.el = null;
    reserved[m.mode] = null;
  }

  /* ---------- incoming messages ---------- */
  var lastId = 0;
  var seen = new Set();
  var seenOrder = [];

  function remember(id) {
    if (seen.has(id)) return;
    seen.add(id);
    seenOrder.push(id);
    if (seenOrder.length > SEEN_MAX) seen.delete(seenOrder.shift());
  }

  function onDanmaku(msg) {
    if (!msg || typeof msg.text !== 'string' || typeof msg.id !== 'number') return;
    if (!msg.replay) {
      // A catch-up after a reconnect may repeat what we already showed: skip those.
      if (seen.has(msg.id)) return;
      remember(msg.id);
    }
    if (msg.id > lastId) lastId = msg.id;
    var m = {
      id: msg.id,
      text: msg.text,
      nick: typeof msg.nick === 'string' ? msg.nick : '',
      color: msg.color,
      mode: msg.mode === 'top' || msg.mode === 'bottom' ? msg.mode : 'scroll',
      replay: !!msg.replay,
      avatar_hue: msg.avatar_hue,
    };
    var queue = queues[m.mode];
    // Replays fill idle time; when live comments are waiting they are not needed.
    if (m.replay && queue.length) return;
    queue.push(m);
    drain();
  }

  /* ---------- lottery ---------- */
  // A `lottery` event is either a committed round (no winners, no seed yet: the prize and
  // the SHA-256 of the seed, so the hall sees it was fixed before the draw) or a draw (the
  // winners, and the seed that hashes to what was shown). The same draw id again is a void:
  // the winners change in place, without rolling again. `lottery_clear` hides it.
  var lotteryEl = document.getElementById('lottery');
  var rollEl = document.getElementById('lottery-roll');
  var winnersEl = document.getElementById('lottery-winners');
  var lotteryTitle = document.getElementById('lottery-title');
  var countEl = document.getElementById('lottery-count');
  var voidedEl = document.getElementById('lottery-voided');
  var proofEl = document.getElementById('lottery-proof');
  var recordEl = document.getElementById('join-record');
  var rollTimer = null;
  var drawSeen = false; // the record at /draws has something to show: link it under the QR
  var shownDrawId = null; // the draw on screen (null: none, or a committed round)
  var landed = false;

  function showRecord() {
    if (!recordUrl || !drawSeen || !recordEl.hidden) return;
    recordEl.hidden = false;
    layout(); // the join panel grew: the lanes above it end higher
  }

  function nickOf(entry) {
    return entry && typeof entry.nick === 'string' && entry.nick ? entry.nick : T.anon;
  }

  function text(value) {
    return typeof value === 'string' ? value : '';
  }

  // 64 hex digits in groups of eight: readable from the hall, easy to compare aloud.
  function grouped(hash) {
    return (hash.match(/.{1,8}/g) || []).join(' ');
  }

  function setProof(seed, hash) {
    proofEl.textContent = '';
    proofEl.hidden = !seed && !hash;
    if (seed) {
      proofEl.appendChild(document.createTextNode(T.seed + ' '));
      var seedEl = document.createElement('span');
      seedEl.className = 'mono';
      seedEl.textContent = seed;
      proofEl.appendChild(seedEl);
    }
    if (hash) {
      proofEl.appendChild(document.createTextNode((seed ? ' · ' : '') + 'SHA-256 '));
      var hashEl = document.createElement('span');
      hashEl.className = 'mono';
      // Beside the seed, the first digits are enough to match the committed hash.
      hashEl.textContent = seed ? hash.slice(0, 16) + '…' : grouped(hash);
      proofEl.appendChild(hashEl);
    }
  }

  function setVoided(voided) {
    var parts = (Array.isArray(voided) ? voided : []).map(function (v) {
      var reason = v && T.reasons.hasOwnProperty(v.reason) ? T.reasons[v.reason] : '';
      return nickOf(v) + (reason ? T.open + reason + T.close : '');
    });
    voidedEl.hidden = !parts.length;
    voidedEl.textContent = parts.length ? T.voided + T.colon + parts.join(T.sep) : '';
  }

  function listWinners(winners, fresh) {
    winnersEl.textContent = '';
    winnersEl.classList.toggle('many', winners.length > 4);
    winners.forEach(function (name) {
      var li = document.createElement('li');
      li.textContent = name;
      if (fresh && fresh.indexOf(name) < 0) li.className = 'replacement';
      winnersEl.appendChild(li);
    });
  }

  function showRound(draw) {
    clearTimeout(rollTimer);
    shownDrawId = null;
    landed = false;
    var count = typeof draw.count === 'number' && draw.count > 0 ? Math.floor(draw.count) : 0;
    lotteryEl.hidden = false;
    lotteryEl.className = 'committed';
    lotteryTitle.textContent = text(draw.prize) || T.round;
    lotteryTitle.classList.toggle('prize', !!text(draw.prize));
    countEl.hidden = !count;
    countEl.textContent = count ? '×' + count : '';
    rollEl.hidden = false;
    rollEl.textContent = T.committed;
    winnersEl.textContent = '';
    setVoided([]);
    setProof('', text(draw.seed_hash));
  }

  function showLottery(draw) {
    var seed = text(draw.seed);
    var winners = Array.isArray(draw.winners) ? draw.winners.map(nickOf) : [];
    if (!winners.length && !seed) { showRound(draw); return; }
    var prize = text(draw.prize);
    var hash = text(draw.seed_hash);
    if (typeof draw.id === 'number' && draw.id === shownDrawId) {
      // A void: the standing winners change in place; a replacement is marked.
      var before = Array.prototype.map.call(winnersEl.children, function (li) { return li.textContent; });
      clearTimeout(rollTimer);
      rollEl.hidden = true;
      lotteryTitle.textContent = prize || T.winners;
      listWinners(winners, landed ? before : null);
      landed = true;
      lotteryEl.className = 'landed';
      setVoided(draw.voided);
      setProof(seed, hash);
      return;
    }
    clearTimeout(rollTimer);
    shownDrawId = typeof draw.id === 'number' ? draw.id : null;
    landed = false;
    var names = Array.isArray(draw.entrants) ? draw.entrants.map(nickOf) : [];
    if (!names.length) names = winners.slice();
    winnersEl.textContent = '';
    countEl.hidden = true;
    setVoided([]);
    setProof('', '');
    lotteryTitle.textContent = prize || T.lottery;
    lotteryTitle.classList.toggle('prize', !!prize);
    lotteryEl.hidden = false;
    lotteryEl.className = '';
    drawSeen = true;
    showRecord();
    function land() {
      landed = true;
      rollEl.hidden = true;
      lotteryTitle.textContent = prize || T.winners;
      lotteryEl.className = 'landed';
      setVoided(draw.voided);
      setProof(seed, hash);
      if (!winners.length) {
        rollEl.hidden = false;
        rollEl.textContent = T.none;
        return;
      }
      listWinners(winners, null);
    }
    if (names.length < 2) { land(); return; }
    // A roll over the entrants' nicks that slows down and stops on the first winner,
    // then the whole list of winners.
    rollEl.hidden = false;
    var step = 0;
    var steps = 26;
    (function tick() {
      step++;
      var last = step >= steps;
      rollEl.textContent = last && winners.length ? winners[0] : names[Math.floor(Math.random() * names.length)];
      if (last) { rollTimer = setTimeout(land, 700); return; }
      rollTimer = setTimeout(tick, 40 + step * step * 0.35);
    })();
  }

  function clearLottery() {
    clearTimeout(rollTimer);
    shownDrawId = null;
    landed = false;
    lotteryEl.hidden = true;
    winnersEl.textContent = '';
    rollEl.textContent = '';
  }

  /* ---------- connection ---------- */
  var socket = DanmakuSocket.connect('/show', {
    // Fresh on every (re)connect: the server then sends what we missed since lastId.
    auth: function () { return lastId > 0 ? {last_id: lastId} : {}; },
    onStatus: function (status) {
      connEl.setAttribute('data-state', status);
      connLabel.textContent = T[status] || '';
    },
    onEvent: function (name, data) {
      if (name === 'danmaku') onDanmaku(data);
      else if (name === 'state') setPaused(data && data.paused);
      else if (name === 'retract' && data && typeof data.id === 'number') retract(data.id);
      else if (name === 'clear') clearWall();
      else if (name === 'lottery' && data) showLottery(data);
      else if (name === 'lottery_clear') clearLottery();
    },
  });
  window.__danmakuSocket = socket;
  Object.defineProperty(window, '__danmakuTransport', {get: function () { return socket.transport; }});
  // For tests and benchmarks/show_fps.py: read the state, and feed comments in through the
  // same path as the socket's (nothing here reaches the server).
  window.__danmakuShow = {
    lanes: function () { return lanes.length; },
    queued: function () { return queues.scroll.length + queues.top.length + queues.bottom.length; },
    onScreen: function () { return items.length; },
    lastId: function () { return lastId; },
    inject: function (payloads) { [].concat(payloads).forEach(onDanmaku); },
  };

  /* ---------- projector niceties ---------- */
  // The pointer stays hidden unless it moves; f or a double-click toggles full screen.
  var idleTimer = null;
  root.classList.add('idle');
  document.addEventListener('mousemove', function () {
    root.classList.remove('idle');
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { root.classList.add('idle'); }, 2000);
  });
  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
    else if (root.requestFullscreen) root.requestFullscreen().catch(function () {});
  }
  document.addEventListener('dblclick', toggleFullscreen);
  document.addEventListener('keydown', function (ev) {
    if ((ev.key === 'f' || ev.key === 'F') && !ev.ctrlKey && !ev.metaKey && !ev.altKey) toggleFullscreen();
  });
  // Keep the screen awake where the browser allows it (secure contexts such as localhost);
  // the lock goes when the page is hidden, so take it again when it is back.
  function wakeLock() {
    if (navigator.wakeLock && document.visibilityState === 'visible') {
      navigator.wakeLock.request('screen').catch(function () {});
    }
  }
  document.addEventListener('visibilitychange', wakeLock);
  wakeLock();
})();
