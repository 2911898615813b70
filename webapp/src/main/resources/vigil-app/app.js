/* Vigil web viewer: sign in, robots pushed over SSE, Go Live with a view lease over WebRTC (WHEP), else hls.js. */
(function () {
  'use strict';

  var AUTH_KEY = 'vigil.auth';
  var USER_KEY = 'vigil.user';
  var BACKOFF_FIRST_MS = 500;
  var BACKOFF_MAX_MS = 15000;
  var PLAYLIST_RETRY_MAX_MS = 8000;
  var PLAYLIST_ATTEMPTS = 30;
  /*
   * While the relay has no stream yet (the robot is starting), WHEP and the HLS playlist answer 404 at
   * once, and each try costs one request and one relay-auth question: ask every 250-500 ms, for a minute.
   */
  var STREAM_WAIT_FIRST_MS = 250;
  var STREAM_WAIT_MAX_MS = 500;
  var STREAM_WAIT_ATTEMPTS = 150;
  /* ICE on a LAN or loopback connects in milliseconds; a session still unconnected after this has UDP blocked. */
  var WEBRTC_CONNECT_MS = 3000;
  /* A connected session waits at most one keyframe interval for its first frame; past this, fall back to HLS. */
  var WEBRTC_FIRST_FRAME_MS = 6000;
  var ROLE_PROBE = '/robots/~role-probe~/stream/stop';
  var STATE_WORDS = { streaming: 'live', starting: 'starting…', retrying: 'retrying…', stopping: 'stopping…' };

  var el = function (id) { return document.getElementById(id); };
  var robots = {};
  var role = 'viewer';
  var events = null;
  var view = null;

  /** min(first * 2^attempt, max) with ±25 % jitter. */
  function backoff(attempt, first, max) {
    var base = Math.min(first * Math.pow(2, attempt), max);
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  function basic(user, password) {
    var bytes = new TextEncoder().encode(user + ':' + password);
    var text = '';
    bytes.forEach(function (b) { text += String.fromCharCode(b); });
    return 'Basic ' + btoa(text);
  }

  function auth() { return sessionStorage.getItem(AUTH_KEY); }

  function api(method, path, extra) {
    var options = Object.assign({ method: method, cache: 'no-store' }, extra || {});
    /* X-Requested-With lets a server leave out the Basic challenge, so no browser login dialog pops up over the page. */
    options.headers = Object.assign({ Authorization: auth(), 'X-Requested-With': 'vigil-app' }, options.headers || {});
    return fetch(path, options);
  }

  async function detail(response) {
    try {
      var body = await response.json();
      return body.detail || ('HTTP ' + response.status);
    } catch (e) {
      return 'HTTP ' + response.status;
    }
  }

  /* ---------- sign-in ---------- */

  async function signIn(event) {
    event.preventDefault();
    var error = el('sign-in-error');
    error.textContent = '';
    var user = el('user').value.trim();
    sessionStorage.setItem(AUTH_KEY, basic(user, el('password').value));
    var response;
    try {
      response = await api('GET', '/robots');
    } catch (e) {
      sessionStorage.removeItem(AUTH_KEY);
      error.textContent = 'The bridge cannot be reached: ' + e.message;
      return;
    }
    if (!response.ok) {
      sessionStorage.removeItem(AUTH_KEY);
      error.textContent = response.status === 401 ? 'Wrong user or password.'
        : response.status === 429 ? 'Too many failed attempts; wait a moment and try again.'
        : 'Sign-in failed: ' + await detail(response);
      el('password').focus();
      return;
    }
    sessionStorage.setItem(USER_KEY, user);
    el('password').value = '';
    var body = await response.json();
    await enter(body.robots || []);
  }

  /** The signed-in role: GET /me when the bridge has it, else an operator-only request on a robot that cannot exist (403 viewer, 404 operator). */
  async function findRole() {
    try {
      var me = await api('GET', '/me');
      if (me.ok) {
        var body = await me.json();
        if (body.role) { return body.role; }
      }
      var probe = await api('POST', ROLE_PROBE);
      return probe.status === 404 ? 'operator' : 'viewer';
    } catch (e) {
      return 'viewer';
    }
  }

  async function enter(list) {
    role = await findRole();
    el('sign-in').hidden = true;
    el('robots-section').hidden = false;
    el('who').hidden = false;
    el('who').textContent = 'Signed in as ' + (sessionStorage.getItem(USER_KEY) || '') + ' (' + role + ')';
    el('sign-out').hidden = false;
    list.forEach(update);
    startEvents();
    var first = document.querySelector('#robots button');
    if (first) { first.focus(); }
  }

  function signOut(message) {
    closeView();
    if (events) { events.abort(); events = null; }
    sessionStorage.removeItem(AUTH_KEY);
    sessionStorage.removeItem(USER_KEY);
    robots = {};
    el('robots').textContent = '';
    el('robots-section').hidden = true;
    el('who').hidden = true;
    el('sign-out').hidden = true;
    el('sign-in').hidden = false;
    el('sign-in-error').textContent = message || '';
    el('user').focus();
  }

  /* ---------- robots over SSE (fetch + ReadableStream: EventSource cannot send Authorization) ---------- */

  function startEvents() {
    var controller = new AbortController();
    events = controller;
    var attempt = 0;
    var status = el('events-status');

    async function connect() {
      while (!controller.signal.aborted) {
        try {
          var response = await api('GET', '/robots/events', { signal: controller.signal, headers: { Accept: 'text/event-stream' } });
          if (response.status === 401) { signOut('Your session is no longer valid; sign in again.'); return; }
          if (!response.ok || !response.body) { throw new Error('HTTP ' + response.status); }
          attempt = 0;
          status.textContent = 'Live updates on.';
          await readEvents(response.body, controller.signal);
          throw new Error('the stream ended');
        } catch (e) {
          if (controller.signal.aborted) { return; }
          var wait = backoff(attempt++, BACKOFF_FIRST_MS, BACKOFF_MAX_MS);
          status.textContent = 'Live updates lost (' + e.message + '); reconnecting in ' + Math.ceil(wait / 1000) + ' s…';
          await new Promise(function (resolve) { setTimeout(resolve, wait); });
        }
      }
    }
    connect();
  }

  async function readEvents(body, signal) {
    var reader = body.pipeThrough(new TextDecoderStream()).getReader();
    signal.addEventListener('abort', function () { reader.cancel().catch(function () {}); });
    var buffer = '';
    var name = 'message';
    var data = [];
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) { return; }
      buffer += chunk.value;
      var lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      lines.forEach(function (line) {
        if (line === '') {
          if (data.length) { dispatch(name, data.join('\n')); }
          name = 'message';
          data = [];
        } else if (line.charAt(0) === ':') {
          return;
        } else {
          var colon = line.indexOf(':');
          var field = colon < 0 ? line : line.slice(0, colon);
          var value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') { name = value; } else if (field === 'data') { data.push(value); }
        }
      });
    }
  }

  function dispatch(name, text) {
    if (name !== 'robot') { return; }
    try { update(JSON.parse(text)); } catch (e) { /* a malformed event is skipped; the next one carries the full robot */ }
  }

  /* ---------- the robots list ---------- */

  function stateWord(robot) { return STATE_WORDS[robot.state] || robot.state || 'unknown'; }

  function update(robot) {
    robots[robot.id] = robot;
    var item = document.querySelector('#robots li[data-robot="' + CSS.escape(robot.id) + '"]');
    if (!item) {
      item = document.createElement('li');
      item.dataset.robot = robot.id;
      item.innerHTML = '<span class="robot-name"></span><span class="badge availability"></span>' +
        '<span class="badge robot-state"></span><span class="muted views"></span>' +
        '<button type="button" class="primary go-live">Go Live</button>' +
        '<button type="button" class="danger stop" hidden>Stop</button>';
      item.querySelector('.robot-name').textContent = robot.id;
      item.querySelector('.go-live').setAttribute('aria-label', 'Go Live: ' + robot.id);
      item.querySelector('.go-live').addEventListener('click', function () { goLive(robot.id); });
      item.querySelector('.stop').setAttribute('aria-label', 'Stop robot ' + robot.id);
      item.querySelector('.stop').addEventListener('click', function () { stopRobot(robot.id); });
      el('robots').appendChild(item);
    }
    var availability = item.querySelector('.availability');
    availability.textContent = robot.availability || 'unknown';
    availability.className = 'badge availability ' + (robot.availability || 'unknown');
    var state = item.querySelector('.robot-state');
    state.textContent = stateWord(robot);
    state.className = 'badge robot-state ' + (robot.state || 'unknown');
    item.querySelector('.views').textContent = robot.views ? robot.views + ' watching' : '';
    item.querySelector('.go-live').disabled = robot.availability === 'offline';
    item.querySelector('.stop').hidden = role !== 'operator';
    if (view && view.robot === robot.id) { onRobotChange(robot); }
  }

  /* ---------- Go Live ---------- */

  function say(text) { el('view-state').textContent = text; }

  /** Seconds of an ISO-8601 duration such as PT30S, PT1M30S or PT0.5S. */
  function seconds(iso) {
    var m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso || '');
    if (!m) { return 30; }
    return (parseFloat(m[1] || 0) * 3600) + (parseFloat(m[2] || 0) * 60) + parseFloat(m[3] || 0);
  }

  async function openLease(current) {
    var response = await api('POST', '/robots/' + encodeURIComponent(current.robot) + '/views');
    if (!response.ok) { throw new Error(await detail(response)); }
    var lease = await response.json();
    var urls = lease.urls || {};
    current.lease = lease.lease;
    current.hlsUrl = urls.hls;
    current.whepUrl = whepUrl(urls.webrtc);
    current.renewMs = Math.max(1000, seconds(lease.ttl) * 1000 / 3);
    return lease;
  }

  /** MediaMTX's WHEP endpoint from the bridge's WebRTC URL: its reader page {path}, or already {path}/whep. */
  function whepUrl(webrtc) {
    if (!webrtc) { return null; }
    var url = webrtc.replace(/\/+$/, '');
    return /\/whep$/.test(url) ? url : url + '/whep';
  }

  /** The page's WHEP credential to the relay: its view lease, as a password the bridge's /relay/auth accepts. */
  function relayAuthorization(current) { return basic('lease', current.lease || ''); }

  async function goLive(id) {
    closeView();
    var current = { robot: id, lease: null, timer: null, player: null, retry: null, attempts: 0, waits: 0, closed: false,
      playing: false, transport: null, early: null, again: null, webrtcWorked: false };
    view = current;
    /* The WebRTC offer and ICE gathering (0.1-0.2 s) overlap the lease request; unused if the lease has no WebRTC URL. */
    if (window.VigilWhep && VigilWhep.supported()) { current.early = webRtcPlayer(current); }
    el('viewer').hidden = false;
    el('viewer-robot').textContent = id;
    el('stop-robot').hidden = role !== 'operator';
    say('starting…');
    el('close-view').focus();
    try {
      await openLease(current);
    } catch (e) {
      if (current.early) { current.early.close(); current.early = null; }
      if (!current.closed) { say('failed: ' + e.message); }
      return;
    }
    if (current.closed) { release(current, false); return; }
    current.transport = current.whepUrl && current.early ? 'webrtc' : 'hls';
    if (current.transport === 'hls' && current.early) { current.early.close(); current.early = null; }
    if (current.transport === 'hls' && !current.hlsUrl) {
      say('failed: the bridge has no WebRTC or HLS URL for this robot (viewer-urls)');
      return;
    }
    current.timer = setInterval(function () { renew(current); }, current.renewMs);
    /* No need to wait for the robot's "streaming": the relay answers 404 until it has the stream, and we try again. */
    play(current);
  }

  async function renew(current) {
    if (current.closed) { return; }
    try {
      var response = await api('PUT', '/robots/' + encodeURIComponent(current.robot) + '/views/' + encodeURIComponent(current.lease));
      if (response.status === 404) { await openLease(current); }
    } catch (e) {
      say('retrying: cannot renew the view (' + e.message + ')');
    }
  }

  function onRobotChange(robot) {
    var current = view;
    if (!current || current.closed || !current.lease || !current.transport) { return; }
    if (robot.state === 'streaming') {
      if (current.retry) {
        /* The robot says it streams: try now rather than at the end of the wait. */
        var again = current.again;
        clearTimeout(current.retry);
        current.retry = null;
        current.again = null;
        again();
      } else if (!current.player) {
        play(current);
      }
    } else if (robot.state === 'failed') {
      say('failed: ' + (robot.lastError || 'the robot could not stream'));
    } else if (robot.state === 'retrying') {
      say('retrying: the robot restarts its stream' + (robot.lastError ? ' (' + robot.lastError + ')' : ''));
    } else if (robot.availability === 'offline') {
      say('failed: the robot is offline');
    } else if (current.playing) {
      /* The robot stopped under a live view (an operator's stop); the lease makes the bridge start it again. */
      resetPlayer(current);
      say('retrying: the robot stopped streaming; waiting for it to start again');
    } else if (!current.player && !current.retry) {
      say('starting… (robot ' + stateWord(robot) + ')');
    }
  }

  function transportName(current) { return current.transport === 'webrtc' ? 'WebRTC' : 'HLS'; }

  function play(current) {
    if (current.closed || current.player) { return; }
    if (current.transport === 'webrtc') { playWebRtc(current); } else { playHls(current); }
  }

  /** The relay has no stream yet: tries again soon, for about a minute. */
  function waitForStream(current, again) {
    if (current.waits >= STREAM_WAIT_ATTEMPTS) {
      say('failed: the relay never had the stream');
      return;
    }
    say('starting… (waiting for the stream)');
    var wait = backoff(current.waits++, STREAM_WAIT_FIRST_MS, STREAM_WAIT_MAX_MS);
    schedule(current, again || function () { play(current); }, wait);
  }

  function schedule(current, again, wait) {
    current.again = again;
    current.retry = setTimeout(function () { current.retry = null; current.again = null; again(); }, wait);
  }

  /** Something went wrong: tries again after a backoff, or gives up after PLAYLIST_ATTEMPTS tries. */
  function retryLater(current, why) {
    if (current.attempts >= PLAYLIST_ATTEMPTS) {
      say('failed: the video did not start (' + why + ')');
      return;
    }
    var wait = backoff(current.attempts++, BACKOFF_FIRST_MS * 2, PLAYLIST_RETRY_MAX_MS);
    say('retrying: ' + why + ', again in ' + Math.ceil(wait / 1000) + ' s');
    schedule(current, function () { play(current); }, wait);
  }

  /** WebRTC does not work here (no RTCPeerConnection, the relay's WebRTC unreachable, ICE blocked): HLS for the rest of this view. */
  function fallBack(current, reason) {
    if (current.closed || current.transport === 'hls') { return; }
    resetPlayer(current);
    current.transport = 'hls';
    console.info('vigil: WebRTC failed (' + reason + '); falling back to HLS');
    if (!current.hlsUrl) {
      say('failed: WebRTC failed (' + reason + ') and the bridge has no HLS URL for this robot');
      return;
    }
    say('starting… over HLS; WebRTC failed: ' + reason);
    play(current);
  }

  function playWebRtc(current) {
    var player = current.early || webRtcPlayer(current);
    current.early = null;
    current.player = player;
    offer(current, player);
  }

  /** A WebRTC player whose offer is being made; nothing is sent until offer(current, player). */
  function webRtcPlayer(current) {
    var player = {
      stopped: false, timer: null,
      close: function (keepalive) {
        this.stopped = true;
        clearTimeout(this.timer);
        this.session.close(keepalive);
      }
    };
    player.session = VigilWhep.session(el('video'), {
      connectTimeoutMs: WEBRTC_CONNECT_MS,
      onFailed: function (reason) {
        if (current.player !== player) { return; }
        if (current.webrtcWorked) {
          /* WebRTC played in this view, so the stream went away (the robot stopped): try WebRTC again. */
          resetPlayer(current);
          waitForStream(current);
        } else {
          fallBack(current, reason);
        }
      }
    });
    return player;
  }

  /** POSTs the player's offer; a 404 (no stream yet) POSTs the same offer again soon. */
  function offer(current, player) {
    player.session.post(current.whepUrl, relayAuthorization(current)).then(function () {
      if (player.stopped) { return; }
      player.timer = setTimeout(function () {
        if (current.player === player && !current.playing) {
          fallBack(current, 'no video over WebRTC within ' + (WEBRTC_FIRST_FRAME_MS / 1000) + ' s');
        }
      }, WEBRTC_FIRST_FRAME_MS);
    }, function (error) {
      if (player.stopped || current.player !== player) { return; }
      if (error.status === 404) {
        waitForStream(current, function () { offer(current, player); });
        return;
      }
      current.player = null;
      player.close();
      if (error.status === 401 || error.status === 403) {
        say('failed: the relay refused this view (' + error.message + ')');
      } else {
        fallBack(current, error.message);
      }
    });
  }

  function playHls(current) {
    var video = el('video');
    /*
     * The lease goes in the playlist's query, not in an Authorization header: MediaMTX asks the bridge
     * about the first request only and carries its own session on, and a header would cost a CORS
     * preflight on every playlist and part request.
     */
    var url = current.hlsUrl + (current.hlsUrl.indexOf('?') < 0 ? '?' : '&') + 'lease=' + encodeURIComponent(current.lease);
    if (!window.Hls || !Hls.isSupported()) {
      if (video.canPlayType('application/vnd.apple.mpegurl')) {
        video.src = url;
        current.player = { close: function () { video.removeAttribute('src'); video.load(); } };
        video.play().catch(function () {});
        return;
      }
      say('failed: this browser can play neither WebRTC nor HLS');
      return;
    }
    var hls = new Hls({ liveSyncDurationCount: 2, manifestLoadingMaxRetry: 0, levelLoadingMaxRetry: 4 });
    var player = { close: function () { hls.destroy(); } };
    current.player = player;
    hls.on(Hls.Events.ERROR, function (event, data) {
      if (!data.fatal || current.closed || current.player !== player) { return; }
      var notThereYet = data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR
        || data.details === Hls.ErrorDetails.MANIFEST_PARSING_ERROR
        || data.details === Hls.ErrorDetails.LEVEL_LOAD_ERROR;
      if (!notThereYet && data.type === Hls.ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
        return;
      }
      hls.destroy();
      current.player = null;
      var status = data.response ? data.response.code : 0;
      if (status === 401 || status === 403) {
        say('failed: the relay refused this view (HTTP ' + status + ')');
      } else if (notThereYet) {
        waitForStream(current);
      } else {
        retryLater(current, data.details);
      }
    });
    hls.on(Hls.Events.MANIFEST_PARSED, function () { video.play().catch(function () {}); });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  function resetPlayer(current) {
    clearTimeout(current.retry);
    current.retry = null;
    current.again = null;
    if (current.player) { current.player.close(); current.player = null; }
    var video = el('video');
    video.srcObject = null;
    video.removeAttribute('src');
    current.playing = false;
    current.attempts = 0;
    current.waits = 0;
  }

  function release(current, onExit) {
    if (!current.lease) { return; }
    var url = '/robots/' + encodeURIComponent(current.robot) + '/views/' + encodeURIComponent(current.lease);
    current.lease = null;
    fetch(url, { method: 'DELETE', headers: { Authorization: auth() }, keepalive: onExit }).catch(function () {});
  }

  function closeView(onExit) {
    var current = view;
    if (!current) { return; }
    current.closed = true;
    view = null;
    clearInterval(current.timer);
    clearTimeout(current.retry);
    if (current.player) { current.player.close(onExit === true); }
    if (current.early) { current.early.close(); }
    release(current, onExit === true);
    if (onExit !== true) {
      var video = el('video');
      video.srcObject = null;
      video.removeAttribute('src');
      video.load();
      el('viewer').hidden = true;
      say('');
      var back = document.querySelector('#robots li[data-robot="' + CSS.escape(current.robot) + '"] .go-live');
      if (back) { back.focus(); }
    }
  }

  async function stopRobot(id) {
    if (view && view.robot === id) { closeView(); }
    var response = await api('POST', '/robots/' + encodeURIComponent(id) + '/stream/stop');
    el('events-status').textContent = response.ok ? 'Stop sent to ' + id + '.' : 'Stop failed: ' + await detail(response);
  }

  /* ---------- wiring ---------- */

  el('video').addEventListener('playing', function () {
    if (view && view.transport) {
      view.playing = true;
      view.attempts = 0;
      view.waits = 0;
      if (view.transport === 'webrtc') { view.webrtcWorked = true; }
      say('live · ' + transportName(view));
    }
  });
  el('video').addEventListener('waiting', function () {
    if (view && view.playing) { say('live · ' + transportName(view) + ' (buffering…)'); }
  });
  el('sign-in').addEventListener('submit', signIn);
  el('sign-out').addEventListener('click', function () { signOut(''); });
  el('close-view').addEventListener('click', function () { closeView(); });
  el('stop-robot').addEventListener('click', function () { if (view) { stopRobot(view.robot); } });
  /* pagehide fires on close, reload and navigation (also bfcache); keepalive lets the DELETE outlive the page. */
  window.addEventListener('pagehide', function () { closeView(true); });
  /* Back from the back/forward cache: the view was released on pagehide, so show the list again. */
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) { el('viewer').hidden = true; say(''); }
  });

  if (auth()) {
    api('GET', '/robots').then(function (response) {
      if (!response.ok) { signOut(''); return null; }
      return response.json();
    }).then(function (body) { if (body) { enter(body.robots || []); } }).catch(function () { signOut(''); });
  }
}());
