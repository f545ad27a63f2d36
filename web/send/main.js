/*
 * Phone send page (GET /): one form, one Socket.IO connection to /send.
 *
 * - client_id: a random id kept in localStorage, sent as the connection's auth, so the
 *   server sees the same sender across reloads and reconnects (best effort: WeChat may
 *   clear storage).
 * - Every send carries a fresh cid. When the ack does not come back in time the same
 *   payload is sent again with the same cid: the server answers a repeated cid with the
 *   first ack, so a retry never puts a comment on the wall twice. The same goes for a
 *   resend after an `unavailable` answer (a cluster whose hub or Redis is away).
 * - Later news in the sender's own room: `review` {id, status} for a held comment (matched
 *   with what this page sent, kept in memory) and `won` {draw_id, nick, prize} for a lottery win.
 * - The UI is Chinese or English from the server's reading of Accept-Language (/api/info
 *   `lang`); until it answers (or if it cannot), from navigator.language.
 * - WeChat's in-app browser: nothing autofocuses, the scroll position comes back after the
 *   iOS keyboard closes, no text-size inflation, system fonts, nothing fixed at the bottom.
 */
(function () {
  'use strict';

  var ACK_TIMEOUT_MS = 8000;
  var MAX_ATTEMPTS = 4;
  var SENT_KEPT = 50; // id -> text of this page's recent held comments, for `review`

  var STRINGS = {
    zh: {
      title: '发弹幕', nick: '昵称（可选）', text: '弹幕', color: '颜色', mode: '位置',
      c_white: '白', c_red: '红', c_yellow: '黄', c_green: '绿', c_blue: '蓝', c_pink: '粉',
      m_scroll: '滚动', m_top: '顶部', m_bottom: '底部', send: '发送',
      hint: '弹幕会显示在大屏上，部分内容需审核。请文明发言。',
      nick_ph: '不填则匿名', text_ph: '说点什么…',
      connecting: '连接中…', connected: '已连接', reconnecting: '重新连接中…',
      sending: '发送中…', retrying: '网络不稳，正在重试…',
      sent: '上墙了！', held: '等待审核', empty: '请先写点内容',
      too_long: function (n) { return '太长了：最多 ' + n + ' 个字'; },
      failed: '发送失败，请检查网络后再试',
      quote: function (t) { return '「' + t + '」'; },
      // t: the comment's text, or '' when this page does not know it (sent from another tab).
      approved: function (t) { return '你的弹幕' + (t && '「' + t + '」') + '已通过审核，上墙了'; },
      rejected: function (t) { return '你的弹幕' + (t && '「' + t + '」') + '未通过审核'; },
      won_title: '你中奖了！', won_text: '请到台前领奖', won_ok: '知道了',
      won_nick: function (n) { return '中奖昵称：' + n; },
      won_prize: function (p) { return '你中了' + p; },
    },
    en: {
      title: 'Send a comment', nick: 'Nickname (optional)', text: 'Comment', color: 'Colour',
      mode: 'Position', c_white: 'White', c_red: 'Red', c_yellow: 'Yellow', c_green: 'Green',
      c_blue: 'Blue', c_pink: 'Pink', m_scroll: 'Scroll', m_top: 'Top', m_bottom: 'Bottom',
      send: 'Send', hint: 'Comments appear on the big screen; some are reviewed first. Be kind.',
      nick_ph: 'Leave empty to stay anonymous', text_ph: 'Say something…',
      connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…',
      sending: 'Sending…', retrying: 'Weak connection, retrying…',
      sent: 'Sent', held: 'Waiting for review', empty: 'Write something first',
      too_long: function (n) { return 'Too long: ' + n + ' characters at most'; },
      failed: 'Could not send. Check the connection and try again.',
      quote: function (t) { return ': \u201c' + t + '\u201d'; },
      approved: function (t) { return 'Your comment ' + (t && '\u201c' + t + '\u201d ') + 'was approved and is on the wall'; },
      rejected: function (t) { return 'Your comment ' + (t && '\u201c' + t + '\u201d ') + 'was not approved'; },
      won_title: 'You won!', won_text: 'Come to the stage to collect your prize.', won_ok: 'OK',
      won_nick: function (n) { return 'Winning nickname: ' + n; },
      won_prize: function (p) { return 'You won: ' + p; },
    },
  };
  var lang = /^zh/i.test(navigator.language || '') ? 'zh' : 'en';
  var T = STRINGS[lang];

  var form = document.getElementById('form');
  var nickInput = form.elements.nick;
  var textInput = form.elements.text;
  var button = document.getElementById('send');
  var statusEl = document.getElementById('status');
  var noticesEl = document.getElementById('notices');
  var countEl = document.getElementById('count');
  var connEl = document.getElementById('conn');
  var wonEl = document.getElementById('won');
  var wonTitle = document.getElementById('won-title');
  var maxText = 60;
  var maxNick = 16;

  /* ---------- storage (may throw in private modes) ---------- */
  function load(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* not kept: fine */ }
  }
  function randomId(bytes) {
    var a = new Uint8Array(bytes);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }
  var clientId = load('danmaku.client_id');
  if (!clientId) {
    clientId = randomId(16);
    save('danmaku.client_id', clientId);
  }

  /* ---------- texts ---------- */
  function applyLang(next) {
    lang = next;
    T = STRINGS[lang];
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = T.title;
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (el) {
      var s = T[el.getAttribute('data-i18n')];
      if (typeof s === 'string') el.textContent = s;
    });
    nickInput.placeholder = T.nick_ph;
    textInput.placeholder = T.text_ph;
    connEl.querySelector('.conn-label').textContent = T[connEl.getAttribute('data-state')] || T.connecting;
  }
  applyLang(lang);
  nickInput.value = load('danmaku.nick') || '';
  var savedColor = load('danmaku.color');
  Array.prototype.forEach.call(form.elements.color, function (r) { if (r.value === savedColor) r.checked = true; });

  // What a person sees as one character, like the server counts (grapheme clusters).
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter() : null;
  function graphemes(s) {
    var n = 0;
    if (segmenter) {
      var it = segmenter.segment(s)[Symbol.iterator]();
      while (!it.next().done) n++;
      return n;
    }
    // Older webviews: code points, not counting what joins onto the one before
    // (combining marks, variation selectors, skin tones, zero-width joins, flag halves).
    var cps = Array.from(s);
    var regional = false;
    for (var i = 0; i < cps.length; i++) {
      var c = cps[i].codePointAt(0);
      if (c === 0x200d) { i++; continue; } // ZWJ: it and the next one join the previous
      if ((c >= 0x300 && c <= 0x36f) || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0x1f3fb && c <= 0x1f3ff) ||
        (c >= 0xe0020 && c <= 0xe007f)) continue;
      if (c >= 0x1f1e6 && c <= 0x1f1ff) { regional = !regional; if (!regional) continue; } else regional = false;
      n++;
    }
    return n;
  }
  function updateCount() {
    var n = graphemes(textInput.value.trim());
    countEl.textContent = n + '/' + maxText;
    countEl.classList.toggle('over', n > maxText);
  }
  textInput.addEventListener('input', updateCount);
  updateCount();

  // Limits and language come from the server; the defaults above hold until it answers.
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/api/info', true);
  xhr.onload = function () {
    try {
      var info = JSON.parse(xhr.responseText);
      if (info.max_text_length > 0) maxText = info.max_text_length;
      if (info.max_nick_length > 0) maxNick = info.max_nick_length;
      if (STRINGS[info.lang] && info.lang !== lang) applyLang(info.lang);
      updateCount();
    } catch (e) { /* keep defaults */ }
  };
  xhr.send();

  function setStatus(kind, message) {
    statusEl.setAttribute('data-kind', kind);
    statusEl.textContent = message; // server messages are text, never HTML
  }

  /* ---------- later news: review outcomes, lottery wins ---------- */
  var sentTexts = {}; // id -> text, this page's held comments
  var sentOrder = [];
  var statusFor = null; // id of the held comment the status line talks about

  function rememberHeld(id, text) {
    sentTexts[id] = text;
    sentOrder.push(id);
    if (sentOrder.length > SENT_KEPT) delete sentTexts[sentOrder.shift()];
  }

  function notice(kind, message) {
    var li = document.createElement('li');
    li.setAttribute('data-kind', kind);
    li.textContent = message;
    noticesEl.insertBefore(li, noticesEl.firstChild);
    while (noticesEl.children.length > 3) noticesEl.removeChild(noticesEl.lastChild);
  }

  function onReview(data) {
    if (!data || typeof data.id !== 'number') return;
    var approved = data.status === 'approved';
    var text = sentTexts[data.id];
    // Another tab of this phone may have sent it: then say it without the text.
    var message = (approved ? T.approved : T.rejected)(typeof text === 'string' ? text : '');
    var kind = approved ? 'ok' : 'error';
    if (statusFor === data.id) { setStatus(kind, message); statusFor = null; } else notice(kind, message);
  }

  function onWon(data) {
    var nick = data && typeof data.nick === 'string' ? data.nick : '';
    var prize = data && typeof data.prize === 'string' ? data.prize : '';
    document.getElementById('won-nick').textContent = nick ? T.won_nick(nick) : '';
    // The prize's name, when the draw had one ("你中了二等奖"); the plain title otherwise.
    wonTitle.textContent = prize ? T.won_prize(prize) : T.won_title;
    wonEl.hidden = false;
    window.scrollTo(0, 0);
    try { if (navigator.vibrate) navigator.vibrate([200, 100, 200]); } catch (e) { /* not allowed */ }
  }
  document.getElementById('won-close').addEventListener('click', function () { wonEl.hidden = true; });

  /* ---------- connection ---------- */
  var socket = DanmakuSocket.connect('/send', {
    auth: function () { return {client_id: clientId}; },
    onStatus: function (status) {
      connEl.setAttribute('data-state', status);
      connEl.querySelector('.conn-label').textContent = T[status] || T.connecting;
    },
    onEvent: function (name, data) {
      if (name === 'review') onReview(data);
      else if (name === 'won') onWon(data);
    },
  });
  window.__danmakuSocket = socket;
  Object.defineProperty(window, '__danmakuTransport', {get: function () { return socket.transport; }});

  /* ---------- sending ---------- */
  var sending = false;
  var lastFailed = null; // {key, cid}: resending the same thing after a failure reuses its cid

  function payloadFromForm() {
    var color = form.querySelector('input[name=color]:checked');
    var mode = form.querySelector('input[name=mode]:checked');
    return {
      text: textInput.value.trim(),
      nick: nickInput.value.trim(),
      color: color ? color.value : '#ffffff',
      mode: mode ? mode.value : 'scroll',
    };
  }

  function sendWithRetry(payload, attempt) {
    return socket.emit('danmaku', payload, {timeoutMs: ACK_TIMEOUT_MS}).catch(function (err) {
      if (attempt + 1 >= MAX_ATTEMPTS) throw err;
      setStatus('pending', T.retrying);
      // Give a dropped link a moment to come back; the packet waits in the buffer meanwhile.
      return new Promise(function (resolve) { setTimeout(resolve, 300); }).then(function () {
        return sendWithRetry(payload, attempt + 1);
      });
    });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (sending) return;
    var payload = payloadFromForm();
    if (!payload.text) {
      setStatus('error', T.empty);
      return;
    }
    if (graphemes(payload.text) > maxText) {
      setStatus('error', T.too_long(maxText));
      return;
    }
    if (graphemes(payload.nick) > maxNick) {
      setStatus('error', T.too_long(maxNick));
      nickInput.focus();
      return;
    }
    save('danmaku.nick', payload.nick);
    save('danmaku.color', payload.color);
    var key = JSON.stringify(payload);
    payload.cid = lastFailed && lastFailed.key === key ? lastFailed.cid : randomId(12);
    lastFailed = null;

    sending = true;
    button.disabled = true;
    statusFor = null;
    setStatus('pending', T.sending);
    sendWithRetry(payload, 0).then(function (ack) {
      if (ack && ack.ok) {
        var held = ack.status === 'held';
        if (held && typeof ack.id === 'number') {
          rememberHeld(ack.id, payload.text);
          statusFor = ack.id;
        }
        // Echo what was sent (as text), so the sender sees exactly what went out.
        setStatus(held ? 'held' : 'ok', (held ? T.held : T.sent) + T.quote(payload.text));
        if (textInput.value.trim() === payload.text) textInput.value = '';
        updateCount();
      } else {
        // `unavailable` is not a refusal: the comment may still be committed once the
        // cluster's hub is back, so sending it again must reuse its cid (no second copy).
        if (ack && ack.error === 'unavailable') lastFailed = {key: key, cid: payload.cid};
        setStatus('error', (ack && ack.message) || T.failed);
      }
    }, function () {
      lastFailed = {key: key, cid: payload.cid};
      setStatus('error', T.failed);
    }).then(function () {
      sending = false;
      button.disabled = false;
    });
  });

  /* ---------- phone quirks ---------- */
  // iOS (WeChat too) scrolls the page up for the keyboard and leaves it there, with a
  // keyboard-sized gap, when the input loses focus: put the page back where it was.
  var scrollBefore = null;
  form.addEventListener('focusin', function (ev) {
    if (scrollBefore === null && ev.target.tagName === 'INPUT' && ev.target.type === 'text') {
      scrollBefore = window.scrollY || window.pageYOffset || 0;
    }
  });
  form.addEventListener('focusout', function () {
    setTimeout(function () {
      var active = document.activeElement;
      if (active && active.tagName === 'INPUT' && active.type === 'text') return; // moved to the next field
      window.scrollTo(0, scrollBefore === null ? window.scrollY || 0 : scrollBefore);
      scrollBefore = null;
    }, 100);
  });

  // Android WeChat scales page text with its own font setting; ask it not to.
  function fixWeChatFont() {
    try {
      window.WeixinJSBridge.invoke('setFontSizeCallback', {fontSize: 0});
      window.WeixinJSBridge.on('menu:setfont', function () {
        window.WeixinJSBridge.invoke('setFontSizeCallback', {fontSize: 0});
      });
    } catch (e) { /* not WeChat */ }
  }
  if (window.WeixinJSBridge && window.WeixinJSBridge.invoke) fixWeChatFont();
  else document.addEventListener('WeixinJSBridgeReady', fixWeChatFont, false);
})();
