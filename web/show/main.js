/*
 * Projector page (GET /show): the danmaku wall.
 *
 * URL parameters (all optional):
 *   bg=black (default) | transparent (OBS browser source) | #rrggbb
 *   qr=0        hide the QR / join panel (scroll lanes then use the full height)
 *   speed=S     seconds a scrolling comment takes to cross the screen (default 9)
 *   size=F      font scale, 1 = viewport height / 16 (default 1)
 *   e.g. /show?bg=transparent&qr=0 for an OBS overlay.
 *
 * How comments are placed:
 * - The screen above the QR panel is cut into lanes one line high. Scrolling comments all move
 *   at the same speed in px/s, so a lane is free again as soon as the previous comment in it has
 *   fully entered the screen plus a gap: it can never be caught up with, and nothing overlaps.
 * - Top/bottom comments stand still, centred, for a few seconds, one per lane: top ones from the
 *   top lane down; bottom ones first in the strip left of the QR panel (narrower, long ones are
 *   shrunk to fit), then from the lowest scrolling lane up.
 * - When no lane is free a comment waits in a FIFO queue (one for scrolling, one for static):
 *   nothing approved is ever dropped. Idle replays are only queued when nothing else waits.
 * - One requestAnimationFrame loop moves everything with transform: translate3d.
 * Audience text and nicks enter the DOM through textContent only.
 */
(function () {
  'use strict';

  var STATIC_MS = 5000;
  var COLOR_RE = /^#[0-9a-fA-F]{6}$/;
  var SEEN_MAX = 5000;

  var params = new URLSearchParams(location.search);
  var crossSeconds = Math.max(2, Math.min(60, parseFloat(params.get('speed')) || 9));
  var sizeScale = Math.max(0.3, Math.min(3, parseFloat(params.get('size')) || 1));
  var showQr = params.get('qr') !== '0';
  var bg = params.get('bg');
  if (bg === 'transparent') document.documentElement.style.setProperty('--bg', 'transparent');
  else if (bg && COLOR_RE.test(bg)) document.documentElement.style.setProperty('--bg', bg);

  var zh = /^zh/i.test(navigator.language || '');
  var T = zh
    ? {join: '扫码发弹幕', paused: '已暂停', connecting: '连接中…', reconnecting: '重新连接中…',
      connected: '', lottery: '抽奖中…', winners: '恭喜中奖', none: '没有参与者', anon: '匿名观众'}
    : {join: 'Scan to comment', paused: 'Paused', connecting: 'Connecting…',
      reconnecting: 'Reconnecting…', connected: '', lottery: 'Lucky draw…', winners: 'Congratulations!',
      none: 'No entrants', anon: 'Anonymous'};

  var stage = document.getElementById('stage');
  var joinPanel = document.getElementById('join');
  var connEl = document.getElementById('conn');
  document.getElementById('join-title').textContent = T.join;
  document.getElementById('paused-label').textContent = T.paused;
  if (!showQr) joinPanel.hidden = true;

  /* ---------- join panel ---------- */
  var qrImg = document.getElementById('qr');
  qrImg.addEventListener('load', layout);
  var infoXhr = new XMLHttpRequest();
  infoXhr.open('GET', '/api/info', true);
  infoXhr.onload = function () {
    try {
      var url = JSON.parse(infoXhr.responseText).join_url;
      // Short enough to read and type from the back: no scheme, no trailing slash.
      if (typeof url === 'string') {
        document.getElementById('join-url').textContent = url.replace(/^http:\/\//, '').replace(/\/$/, '');
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
    fontPx = Math.max(14, Math.round(H / 16 * sizeScale));
    document.documentElement.style.setProperty('--font', fontPx + 'px');
    speed = W / crossSeconds;
    gap = Math.round(fontPx * 1.5);
    laneH = Math.round(fontPx * 1.2); // = .dm line-height
    var margin = Math.round(H * 0.02); // projector overscan
    var top = margin;
    var panel = showQr ? joinPanel.getBoundingClientRect() : null;
    // Without the panel, leave a thin strip at the foot for the paused badge and the status dot.
    var bottom = panel ? Math.floor(panel.top) - margin : H - Math.round(H * 0.065);
    var count = Math.max(1, Math.floor((bottom - top) / laneH));
    var old = lanes;
    lanes = [];
    for (var i = 0; i < count; i++) {
      lanes.push({y: top + i * laneH, last: old[i] ? old[i].last : null, still: old[i] ? old[i].still : null,
        maxW: W * 0.92});
    }
    // Below the scrolling lanes and left of the QR panel: room for centred bottom comments
    // as wide as keeps them clear of the panel.
    var oldFoot = footLanes;
    footLanes = [];
    if (panel) {
      var footW = 2 * (panel.left - margin) - W;
      for (var y = H - margin - laneH, k = 0; y >= top + count * laneH && footW > fontPx * 4; y -= laneH, k++) {
        footLanes.push({y: y, last: null, still: oldFoot[k] ? oldFoot[k].still : null, maxW: footW});
      }
    }
  }
  window.addEventListener('resize', layout);
  layout();

  /* ---------- comments ---------- */
  var items = []; // on screen: {el, lane, x, w, mode, until}
  var scrollQueue = [];
  var staticQueue = [];

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
    if (msg.nick) {
      var nick = document.createElement('span');
      nick.className = 'nick';
      nick.textContent = msg.nick;
      el.appendChild(nick);
    }
    el.appendChild(document.createTextNode(msg.text));
    if (COLOR_RE.test(msg.color || '')) el.style.color = msg.color;
    return el;
  }

  function place(el, x, y) {
    el.style.transform = 'translate3d(' + x.toFixed(1) + 'px,' + y + 'px,0)';
  }

  function scrollLaneFree(lane) {
    var last = lane.last;
    return !last || last.x + last.w + gap <= W;
  }

  function placeScroll(msg) {
    // Prefer lanes without a static comment standing in them; any free lane will do.
    var lane = null;
    for (var pass = 0; pass < 2 && !lane; pass++) {
      for (var i = 0; i < lanes.length; i++) {
        if ((pass === 1 || !lanes[i].still) && scrollLaneFree(lanes[i])) { lane = lanes[i]; break; }
      }
    }
    if (!lane) return false;
    var el = build(msg);
    place(el, W, lane.y);
    stage.appendChild(el);
    var item = {el: el, lane: lane, x: W, w: el.offsetWidth, mode: 'scroll'};
    lane.last = item;
    items.push(item);
    return true;
  }

  function placeStatic(msg) {
    // Top comments fill the lanes from the top; bottom ones from the bottom of the screen up.
    var candidates = msg.mode === 'bottom' ? footLanes.concat(lanes.slice().reverse()) : lanes;
    var lane = null;
    for (var k = 0; k < candidates.length && !lane; k++) {
      if (!candidates[k].still) lane = candidates[k];
    }
    if (!lane) return false;
    var el = build(msg);
    place(el, W, lane.y); // off screen while measured
    stage.appendChild(el);
    var w = el.offsetWidth;
    if (w > lane.maxW) { // too long to stand still on one line: shrink it to fit
      el.style.fontSize = Math.floor(fontPx * lane.maxW / w) + 'px';
      w = el.offsetWidth;
    }
    var item = {el: el, lane: lane, x: (W - w) / 2, w: w, mode: msg.mode, until: performance.now() + STATIC_MS};
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
    while (scrollQueue.length && placeScroll(scrollQueue[0])) scrollQueue.shift();
    while (staticQueue.length && placeStatic(staticQueue[0])) staticQueue.shift();
  }

  var lastFrame = 0;
  function frame(now) {
    // Clamp the step so a tab that was in the background does not jump everything at once.
    var dt = lastFrame ? Math.min(0.25, (now - lastFrame) / 1000) : 0;
    lastFrame = now;
    var keep = [];
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (item.mode === 'scroll') {
        item.x -= speed * dt;
        if (item.x + item.w < 0) { removeItem(item); continue; }
        place(item.el, item.x, item.lane.y);
      } else if (now >= item.until) {
        removeItem(item);
        continue;
      }
      keep.push(item);
    }
    items = keep;
    drain();
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);

  /* ---------- incoming messages ---------- */
  var lastId = 0;
  var seen = new Set();
  var seenOrder = [];

  function onDanmaku(msg) {
    if (!msg || typeof msg.text !== 'string' || typeof msg.id !== 'number') return;
    if (!msg.replay) {
      // A catch-up after a reconnect may repeat what we already showed: skip those.
      if (seen.has(msg.id)) return;
      seen.add(msg.id);
      seenOrder.push(msg.id);
      if (seenOrder.length > SEEN_MAX) seen.delete(seenOrder.shift());
    }
    if (msg.id > lastId) lastId = msg.id;
    var m = {
      id: msg.id,
      text: msg.text,
      nick: typeof msg.nick === 'string' ? msg.nick : '',
      color: msg.color,
      mode: msg.mode === 'top' || msg.mode === 'bottom' ? msg.mode : 'scroll',
      replay: !!msg.replay,
    };
    var queue = m.mode === 'scroll' ? scrollQueue : staticQueue;
    // Replays fill idle time; when live comments are waiting they are not needed.
    if (m.replay && queue.length) return;
    queue.push(m);
    drain();
  }

  /* ---------- pause and lottery ---------- */
  var pausedEl = document.getElementById('paused');
  var lotteryEl = document.getElementById('lottery');
  var rollEl = document.getElementById('lottery-roll');
  var winnersEl = document.getElementById('lottery-winners');
  var lotteryTitle = document.getElementById('lottery-title');
  var rollTimer = null;

  function nickOf(entry) {
    return entry && typeof entry.nick === 'string' && entry.nick ? entry.nick : T.anon;
  }

  function showLottery(draw) {
    clearTimeout(rollTimer);
    var winners = Array.isArray(draw.winners) ? draw.winners.map(nickOf) : [];
    var names = Array.isArray(draw.entrants) ? draw.entrants.map(nickOf) : [];
    if (!names.length) names = winners.slice();
    winnersEl.textContent = '';
    winnersEl.classList.toggle('many', winners.length > 4);
    lotteryTitle.textContent = T.lottery;
    lotteryEl.hidden = false;
    function land() {
      rollEl.hidden = true;
      lotteryTitle.textContent = T.winners;
      if (!winners.length) {
        rollEl.hidden = false;
        rollEl.textContent = T.none;
        return;
      }
      winners.forEach(function (name) {
        var li = document.createElement('li');
        li.textContent = name;
        winnersEl.appendChild(li);
      });
    }
    if (names.length < 2) { land(); return; }
    // A short roll over the entrants' nicks that slows down, then the winners.
    rollEl.hidden = false;
    var step = 0;
    var steps = 26;
    (function tick() {
      rollEl.textContent = names[Math.floor(Math.random() * names.length)];
      step++;
      if (step >= steps) { rollTimer = setTimeout(land, 250); return; }
      rollTimer = setTimeout(tick, 40 + step * step * 0.35);
    })();
  }

  function clearLottery() {
    clearTimeout(rollTimer);
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
      document.getElementById('conn-label').textContent = T[status] || '';
    },
    onEvent: function (name, data) {
      if (name === 'danmaku') onDanmaku(data);
      else if (name === 'state') pausedEl.hidden = !(data && data.paused);
      else if (name === 'lottery' && data) showLottery(data);
      else if (name === 'lottery_clear') clearLottery();
    },
  });
  window.__danmakuSocket = socket;
  Object.defineProperty(window, '__danmakuTransport', {get: function () { return socket.transport; }});
  window.__danmakuShow = {
    lanes: function () { return lanes.length; },
    queued: function () { return scrollQueue.length + staticQueue.length; },
    lastId: function () { return lastId; },
  };

  /* ---------- projector niceties ---------- */
  // Hide the mouse pointer when it rests; double-click toggles full screen.
  var idleTimer = null;
  document.addEventListener('mousemove', function () {
    document.body.classList.remove('idle');
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { document.body.classList.add('idle'); }, 3000);
  });
  document.addEventListener('dblclick', function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(function () {});
  });
  // Keep the screen awake where the browser allows it (secure contexts such as localhost).
  function wakeLock() {
    if (navigator.wakeLock && document.visibilityState === 'visible') {
      navigator.wakeLock.request('screen').catch(function () {});
    }
  }
  document.addEventListener('visibilitychange', wakeLock);
  wakeLock();
})();
