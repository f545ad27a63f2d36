/*
 * Phone send page (GET /): one form, one Socket.IO connection to /send.
 *
 * - client_id: a random id kept in localStorage, sent as the connection's auth, so the
 *   server sees the same sender across reloads and reconnects (best effort: WeChat may
 *   clear storage).
 * - Every send carries a fresh cid. When the ack does not come back in time the same
 *   payload is sent again with the same cid: the server answers a repeated cid with the
 *   first ack, so a retry never puts a comment on the wall twice.
 * - Audience-facing strings are Chinese when navigator.language starts with "zh", else English.
 */
(function () {
  'use strict';

  var ACK_TIMEOUT_MS = 8000;
  var MAX_ATTEMPTS = 4;

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
      failed: '发送失败，请检查网络后再试',
      quote: function (t) { return '「' + t + '」'; },
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
      failed: 'Could not send. Check the connection and try again.',
      quote: function (t) { return ': \u201c' + t + '\u201d'; },
    },
  };
  var lang = /^zh/i.test(navigator.language || '') ? 'zh' : 'en';
  var T = STRINGS[lang];

  var form = document.getElementById('form');
  var nickInput = form.elements.nick;
  var textInput = form.elements.text;
  var button = document.getElementById('send');
  var statusEl = document.getElementById('status');
  var countEl = document.getElementById('count');
  var connEl = document.getElementById('conn');
  var maxText = 60;

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
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = T.title;
  Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (el) {
    var s = T[el.getAttribute('data-i18n')];
    if (s) el.textContent = s;
  });
  nickInput.placeholder = T.nick_ph;
  textInput.placeholder = T.text_ph;
  nickInput.value = load('danmaku.nick') || '';
  var savedColor = load('danmaku.color');
  Array.prototype.forEach.call(form.elements.color, function (r) { if (r.value === savedColor) r.checked = true; });

  // What a person sees as one character (emoji, accents), like the server counts.
  function graphemes(s) {
    if (window.Intl && Intl.Segmenter) {
      var n = 0;
      var it = new Intl.Segmenter().segment(s)[Symbol.iterator]();
      while (!it.next().done) n++;
      return n;
    }
    return Array.from(s).length;
  }
  function updateCount() {
    var n = graphemes(textInput.value);
    countEl.textContent = n + '/' + maxText;
    countEl.classList.toggle('over', n > maxText);
  }
  textInput.addEventListener('input', updateCount);
  updateCount();

  // Limits come from the server; the defaults above hold until it answers.
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/api/info', true);
  xhr.onload = function () {
    try {
      var info = JSON.parse(xhr.responseText);
      if (info.max_text_length > 0) {
        maxText = info.max_text_length;
        textInput.maxLength = maxText;
        updateCount();
      }
      if (info.max_nick_length > 0) nickInput.maxLength = info.max_nick_length;
    } catch (e) { /* keep defaults */ }
  };
  xhr.send();

  function setStatus(kind, message) {
    statusEl.setAttribute('data-kind', kind);
    statusEl.textContent = message; // server messages are text, never HTML
  }

  /* ---------- connection ---------- */
  var socket = DanmakuSocket.connect('/send', {
    auth: function () { return {client_id: clientId}; },
    onStatus: function (status) {
      connEl.setAttribute('data-state', status);
      connEl.querySelector('.conn-label').textContent = T[status] || T.connecting;
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
    save('danmaku.nick', payload.nick);
    save('danmaku.color', payload.color);
    var key = JSON.stringify(payload);
    payload.cid = lastFailed && lastFailed.key === key ? lastFailed.cid : randomId(12);
    lastFailed = null;

    sending = true;
    button.disabled = true;
    setStatus('pending', T.sending);
    sendWithRetry(payload, 0).then(function (ack) {
      if (ack && ack.ok) {
        var held = ack.status === 'held';
        // Echo what was sent (as text), so the sender sees exactly what went out.
        setStatus(held ? 'held' : 'ok', (held ? T.held : T.sent) + T.quote(payload.text));
        if (textInput.value.trim() === payload.text) textInput.value = '';
        updateCount();
      } else {
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
  // iOS (WeChat too) leaves a keyboard-sized gap after an input loses focus.
  form.addEventListener('focusout', function () {
    setTimeout(function () {
      var active = document.activeElement;
      if (!active || active.tagName !== 'INPUT' || active.type !== 'text') {
        window.scrollTo(0, window.scrollY || window.pageYOffset || 0);
      }
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
