/*
 * Vigil web viewer: sign in for a session, robots pushed over SSE with each robot's latest picture, Go Live
 * with a view lease over WebRTC (WHEP), else hls.js; recorded clips listed and played, recording for operators.
 */
(function () {
  'use strict';

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
  /* No new frame for this long: the picture on screen is old, so the state line stops saying live. */
  var STALE_MS = 1500;
  /* No new frame for this long: the player is rebuilt (the stream ended under it, or it hangs on a dead session). */
  var REJOIN_MS = 4000;
  var RUNNING = { starting: true, streaming: true, retrying: true };
  var STATE_WORDS = { streaming: 'live', starting: 'starting…', retrying: 'retrying…', stopping: 'stopping…' };
  var HOLD_WORDS = { stopped: 'stopped by an operator', privacy: 'camera off (privacy)' };
  /* How long the page's Record button records. */
  var RECORD_DURATION = 'PT30S';

  var el = function (id) { return document.getElementById(id); };
  var robots = {};
  /* Each robot's latest picture, as a data: URL (the page's CSP allows no blob: images), and when it arrived. */
  var pictures = {};
  var me = null;
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

  /*
   * Every call to the bridge carries the session cookie (HttpOnly: this script never sees it) and
   * X-Requested-With, without which the bridge ignores the cookie. No password is kept anywhere.
   */
  function api(method, path, extra) {
    var options = Object.assign({ method: method, cache: 'no-store', credentials: 'same-origin' }, extra || {});
    options.headers = Object.assign({ 'X-Requested-With': 'vigil-app' }, options.headers || {});
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

  /* ---------- sign-in: the password is exchanged for a session once, and forgotten ---------- */

  async function signIn(event) {
    event.preventDefault();
    var error = el('sign-in-error');
    error.textContent = '';
    var user = el('user').value.trim();
    var password = el('password').value;
    el('password').value = '';
    var response;
    try {
      response = await api('POST', '/session', { headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: user, password: password }) });
    } catch (e) {
      error.textContent = 'The bridge cannot be reached: ' + e.message;
      return;
    }
    password = null;
    if (response.status !== 201) {
      error.textContent = response.status === 401 ? 'Wrong user or password.'
        : response.status === 429 ? 'Too many failed attempts for this account; wait ' + (response.headers.get('Retry-After') || 'a moment')
          + ' s and try again.'
        : 'Sign-in failed: ' + await detail(response);
      el('password').focus();
      return;
    }
    var session = await response.json();
    /* A browser that refused the cookie (Secure over plain HTTP from another address) would sign in for nothing. */
    var check = await api('GET', '/session');
    if (!check.ok) {
      error.textContent = 'The browser did not keep the session cookie: open the page over HTTPS (or from 127.0.0.1).';
      return;
    }
    await enter(session);
  }

  function signedInAs(session) {
    return 'Signed in as ' + session.user + (session.user === session.role ? '' : ' (' + session.role + ')');
  }

  async function enter(session) {
    me = session;
    var response = await api('GET', '/robots');
    if (!response.ok) { leave(response.status === 401 ? 'Your session has ended; sign in again.' : ''); return; }
    var body = await response.json();
    el('sign-in').hidden = true;
    el('robots-section').hidden = false;
    el('who').hidden = false;
    el('who').textContent = signedInAs(session);
    el('sign-out').hidden = false;
    (body.robots || []).forEach(update);
    startEvents();
    var first = document.querySelector('#robots .go-live');
    if (first) { first.focus(); }
  }

  /** Signs out on the bridge (the session is revoked there), then shows the sign-in form. */
  async function signOut() {
    closeView();
    try { await api('DELETE', '/session'); } catch (e) { /* the cookie is gone with the page anyway */ }
    leave('');
  }

  function leave(message) {
    closeView();
    if (events) { events.abort(); events = null; }
    me = null;
    robots = {};
    pictures = {};
    closeClips();
    el('robots').textContent = '';
    el('robots-section').hidden = true;
    el('who').hidden = true;
    el('sign-out').hidden = true;
    el('sign-in').hidden = false;
    el('sign-in-error').textContent = message || '';
    el('user').focus();
  }

  /* ---------- robots over SSE (fetch + ReadableStream, so it carries X-Requested-With) ---------- */

  function startEvents() {
    var controller = new AbortController();
    events = controller;
    var attempt = 0;
    var status = el('events-status');

    async function connect() {
      while (!controller.signal.aborted) {
        try {
          var response = await api('GET', '/robots/events', { signal: controller.signal, headers: { Accept: 'text/event-stream' } });
          if (response.status === 401) { leave('Your session has ended; sign in again.'); return; }
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

  function held(robot) { return robot.hold && robot.hold !== 'none'; }

  /* Who else holds a robot's stream (the agent's lease holders but the views), in words. */
  var HOLDER_WORDS = { manual: 'a manual start', motion: 'motion' };

  function watchersText(robot) {
    if (robot.views) { return robot.views + ' watching'; }
    var others = (robot.leases || []).filter(function (holder) { return holder !== 'views'; });
    if (others.length && RUNNING[robot.state]) {
      return 'no one watching; kept on by ' + others.map(function (holder) { return HOLDER_WORDS[holder] || holder; }).join(' and ');
    }
    if (robot.stopsAt && RUNNING[robot.state]) {
      var seconds = Math.max(0, Math.round((Date.parse(robot.stopsAt) - Date.now()) / 1000));
      return 'no one watching; stops in ' + seconds + ' s';
    }
    return '';
  }

  function button(cls, text, label, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = text;
    b.setAttribute('aria-label', label);
    b.addEventListener('click', onClick);
    return b;
  }

  function update(robot) {
    robots[robot.id] = robot;
    var item = document.querySelector('#robots li[data-robot="' + CSS.escape(robot.id) + '"]');
    if (!item) {
      item = document.createElement('li');
      item.dataset.robot = robot.id;
      item.innerHTML = '<img class="snapshot" alt="" hidden><span class="robot-name"></span><span class="badge availability"></span>' +
        '<span class="badge robot-state"></span><span class="badge hold" hidden></span><span class="muted views"></span>' +
        '<span class="row-actions"></span>';
      item.querySelector('.robot-name').textContent = robot.id;
      var actions = item.querySelector('.row-actions');
      actions.appendChild(button('primary go-live', 'Go Live', 'Go Live: ' + robot.id, function () { goLive(robot.id); }));
      actions.appendChild(button('secondary start', 'Start', 'Start robot ' + robot.id, function () { operate(robot.id, 'stream/start', 'Start'); }));
      actions.appendChild(button('secondary danger-outline stop', 'Stop', 'Stop robot ' + robot.id, function () { stopRobot(robot.id); }));
      actions.appendChild(button('secondary camera-off', 'Camera off', 'Turn the camera of ' + robot.id + ' off (privacy)',
        function () { operate(robot.id, 'camera/disable', 'Camera off'); }));
      actions.appendChild(button('secondary camera-on', 'Camera on', 'Turn the camera of ' + robot.id + ' back on',
        function () { operate(robot.id, 'camera/enable', 'Camera on'); }));
      actions.appendChild(button('secondary take-snapshot', 'Snapshot', 'Take a snapshot of ' + robot.id,
        function () { operate(robot.id, 'snapshot', 'Snapshot'); }));
      actions.appendChild(button('secondary record', 'Record 30 s', 'Record 30 s of ' + robot.id,
        function () { operate(robot.id, 'recording?duration=' + RECORD_DURATION, 'Record'); }));
      actions.appendChild(button('secondary show-clips', 'Clips', 'Recorded clips of ' + robot.id, function () { showClips(robot.id); }));
      el('robots').appendChild(item);
    }
    var availability = item.querySelector('.availability');
    availability.textContent = robot.availability || 'unknown';
    availability.className = 'badge availability ' + (robot.availability || 'unknown');
    var state = item.querySelector('.robot-state');
    state.textContent = stateWord(robot);
    state.className = 'badge robot-state ' + (robot.state || 'unknown');
    var hold = item.querySelector('.hold');
    hold.hidden = !held(robot);
    hold.textContent = held(robot) ? HOLD_WORDS[robot.hold] || robot.hold : '';
    hold.className = 'badge hold ' + (robot.hold || 'none');
    item.querySelector('.views').textContent = watchersText(robot);
    var watching = !!(view && view.robot === robot.id);
    var goLiveButton = item.querySelector('.go-live');
    goLiveButton.disabled = robot.availability === 'offline' || held(robot) || watching;
    goLiveButton.textContent = watching ? 'Watching' : 'Go Live';
    var operator = !!(me && me.role === 'operator');
    item.querySelector('.stop').hidden = !operator || held(robot) || !RUNNING[robot.state];
    item.querySelector('.start').hidden = !operator || robot.hold !== 'stopped';
    item.querySelector('.camera-off').hidden = !operator || robot.hold === 'privacy';
    item.querySelector('.camera-on').hidden = !operator || robot.hold !== 'privacy';
    item.querySelector('.take-snapshot').disabled = robot.availability !== 'online' || held(robot);
    item.querySelector('.record').hidden = !operator;
    item.querySelector('.record').disabled = robot.availability !== 'online' || held(robot);
    showPicture(item, robot);
    if (view && view.robot === robot.id) {
      el('stop-robot').hidden = !operator || !RUNNING[robot.state] || held(robot);
      onRobotChange(robot);
    }
  }

  /* ---------- the robot's picture: fetched with the session (an <img src> could not send X-Requested-With) ---------- */

  function showPicture(item, robot) {
    var img = item.querySelector('.snapshot');
    var known = pictures[robot.id];
    if (known && known.url) {
      img.src = known.url;
      img.hidden = false;
      img.alt = 'Latest picture of ' + robot.id + ' (' + new Date(known.at).toLocaleTimeString() + ')';
    }
    if (!robot.snapshot || (known && known.at === robot.snapshot)) { return; }
    pictures[robot.id] = { at: robot.snapshot, url: known ? known.url : null };
    api('GET', '/robots/' + encodeURIComponent(robot.id) + '/snapshot.jpg').then(function (response) {
      return response.ok ? response.blob() : null;
    }).then(function (blob) {
      if (!blob) { return null; }
      return new Promise(function (resolve) {
        var reader = new FileReader();
        reader.onload = function () { resolve(reader.result); };
        reader.onerror = function () { resolve(null); };
        reader.readAsDataURL(blob);
      });
    }).then(function (url) {
      if (!url || pictures[robot.id].at !== robot.snapshot) { return; }
      pictures[robot.id].url = url;
      var row = document.querySelector('#robots li[data-robot="' + CSS.escape(robot.id) + '"]');
      if (row) { showPicture(row, robots[robot.id]); }
      if (view && view.robot === robot.id && !view.playing) { el('video').poster = url; }
    }).catch(function () { /* the picture stays as it was */ });
  }

  /* ---------- recorded clips: listed, fetched with the session, played from memory ---------- */

  var clipUrl = null;

  function clipTime(iso) {
    var at = new Date(iso);
    return at.toLocaleDateString() + ' ' + at.toLocaleTimeString();
  }

  async function showClips(id) {
    el('clips-section').hidden = false;
    el('clips-robot').textContent = id;
    el('clips').textContent = '';
    el('clips-status').textContent = 'Loading the clips…';
    var response = await api('GET', '/robots/' + encodeURIComponent(id) + '/clips');
    if (response.status === 401) { leave('Your session has ended; sign in again.'); return; }
    if (!response.ok) { el('clips-status').textContent = 'No clips: ' + await detail(response); return; }
    var listed = await response.json();
    var clips = listed.clips || [];
    el('clips-status').textContent = (clips.length ? clips.length + ' clip' + (clips.length === 1 ? '' : 's')
      : 'No clips yet: nothing is recorded unless an operator asks.') + (listed.note ? ' (' + listed.note + '.)' : '');
    clips.forEach(function (clip) {
      var li = document.createElement('li');
      var label = document.createElement('span');
      label.textContent = clipTime(clip.start) + ' · ' + Math.round(clip.duration) + ' s';
      li.appendChild(label);
      li.appendChild(button('secondary play-clip', 'Play', 'Play the clip of ' + clipTime(clip.start),
        function () { playClip(clip); }));
      el('clips').appendChild(li);
    });
  }

  async function playClip(clip) {
    el('clips-status').textContent = 'Loading the clip (' + Math.round(clip.duration) + ' s)…';
    var response = await api('GET', clip.url);
    if (response.status === 401) { leave('Your session has ended; sign in again.'); return; }
    if (!response.ok) { el('clips-status').textContent = 'The clip failed: ' + await detail(response); return; }
    var blob = await response.blob();
    if (clipUrl) { URL.revokeObjectURL(clipUrl); }
    clipUrl = URL.createObjectURL(blob);
    var player = el('clip-video');
    player.src = clipUrl;
    player.hidden = false;
    el('clips-status').textContent = 'Playing the clip of ' + clipTime(clip.start) + '.';
    player.play().catch(function () { /* the controls let the user start it */ });
  }

  function closeClips() {
    var player = el('clip-video');
    player.pause();
    player.removeAttribute('src');
    player.load();
    player.hidden = true;
    if (clipUrl) { URL.revokeObjectURL(clipUrl); clipUrl = null; }
    el('clips-section').hidden = true;
  }

  /** Refreshes the rows (the Go Live buttons follow what this page watches). */
  function refreshRows() {
    Object.keys(robots).forEach(function (id) { update(robots[id]); });
  }

  async function operate(id, action, what) {
    var response = await api('POST', '/robots/' + encodeURIComponent(id) + '/' + action);
    if (response.status === 401) { leave('Your session has ended; sign in again.'); return; }
    el('events-status').textContent = response.ok ? what + ': sent to ' + id + '.' : what + ' failed: ' + await detail(response);
  }

  /* ---------- Go Live ---------- */

  function say(text) {
    if (el('view-state').textContent !== text) { el('view-state').textContent = text; }
  }

  /** Seconds of an ISO-8601 duration such as PT30S, PT1M30S or PT0.5S. */
  function seconds(iso) {
    var m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso || '');
    if (!m) { return 30; }
    return (parseFloat(m[1] || 0) * 3600) + (parseFloat(m[2] || 0) * 60) + parseFloat(m[3] || 0);
  }

  /** Opens a view lease; throws with the bridge's reason (e.g. the robot is held). */
  async function openLease(current) {
    var sent = Date.now();
    var response = await api('POST', '/robots/' + encodeURIComponent(current.robot) + '/views');
    if (response.status === 401) { leave('Your session has ended; sign in again.'); throw new Error('signed out'); }
    if (!response.ok) { throw new Error(await detail(response)); }
    var lease = await response.json();
    var urls = lease.urls || {};
    current.lease = lease.lease;
    current.key = lease.key;
    current.hlsUrl = urls.hls;
    current.whepUrl = whepUrl(urls.webrtc);
    current.renewMs = Math.max(1000, seconds(lease.ttl) * 1000 / 3);
    /* The bridge's clock (which the relay shares) minus ours, to compare HLS frame times with the request. */
    if (lease.now && current.clockSkew === null) {
      current.clockSkew = Date.parse(lease.now) - (sent + Date.now()) / 2;
    }
    return lease;
  }

  /** MediaMTX's WHEP endpoint from the bridge's WebRTC URL: its reader page {path}, or already {path}/whep. */
  function whepUrl(webrtc) {
    if (!webrtc) { return null; }
    var url = webrtc.replace(/\/+$/, '');
    return /\/whep$/.test(url) ? url : url + '/whep';
  }

  /** The page's WHEP credential to the relay: its view's key (never its lease id, which is no credential). */
  function relayAuthorization(current) { return basic('lease', current.key || ''); }

  async function goLive(id) {
    closeView();
    var current = { robot: id, lease: null, key: null, timer: null, player: null, retry: null, attempts: 0, waits: 0,
      closed: false, playing: false, fresh: false, transport: null, early: null, again: null, webrtcWorked: false,
      requestedAt: Date.now(), clockSkew: null, joinedAt: null, lastFrame: 0, watchdog: null, hls: null };
    view = current;
    refreshRows();
    /* The WebRTC offer and ICE gathering (0.1-0.2 s) overlap the lease request; unused if the lease has no WebRTC URL. */
    if (window.VigilWhep && VigilWhep.supported()) { current.early = webRtcPlayer(current); }
    el('viewer').hidden = false;
    el('viewer-robot').textContent = id;
    /* The robot's latest picture until the first frame. */
    if (pictures[id] && pictures[id].url) { el('video').poster = pictures[id].url; } else { el('video').removeAttribute('poster'); }
    el('stop-robot').hidden = !(me && me.role === 'operator' && robots[id] && RUNNING[robots[id].state]);
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
    current.watchdog = setInterval(function () { watch(current); }, 500);
    /* No need to wait for the robot's "streaming": the relay answers 404 until it has the stream, and we try again. */
    play(current);
  }

  async function renew(current) {
    if (current.closed) { return; }
    try {
      var response = await api('PUT', '/robots/' + encodeURIComponent(current.robot) + '/views/' + encodeURIComponent(current.lease));
      if (response.status === 401) { leave('Your session has ended; sign in again.'); return; }
      if (response.status === 404) { await openLease(current); }
    } catch (e) {
      if (!current.closed) { say(/^robot|camera/.test(e.message) ? 'ended: ' + e.message : 'retrying: cannot renew the view (' + e.message + ')'); }
    }
  }

  function onRobotChange(robot) {
    var current = view;
    if (!current || current.closed) { return; }
    if (held(robot)) {
      /* An operator stopped the robot or turned its camera off: the bridge revoked this view. */
      endView(current, 'ended: ' + (HOLD_WORDS[robot.hold] || robot.hold) + (robot.holdBy ? ' (' + robot.holdBy + ')' : ''));
      return;
    }
    if (!current.lease || !current.transport) { return; }
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
      /* The stream ended under a live view; the lease makes the bridge start it again. */
      resetPlayer(current);
      say('retrying: the robot stopped streaming; waiting for it to start again');
      waitForStream(current);
    } else if (!current.player && !current.retry) {
      say('starting… (robot ' + stateWord(robot) + ')');
    }
  }

  function transportName(current) { return current.transport === 'webrtc' ? 'WebRTC' : 'HLS'; }

  function play(current) {
    if (current.closed || current.player) { return; }
    current.joinedAt = performance.now();
    if (current.transport === 'webrtc') { playWebRtc(current); } else { playHls(current); }
  }

  /** The relay has no stream yet: tries again soon, for about a minute. */
  function waitForStream(current, again) {
    if (current.waits >= STREAM_WAIT_ATTEMPTS) {
      say('failed: the relay never had the stream');
      return;
    }
    if (!/^retrying/.test(el('view-state').textContent)) { say('starting… (waiting for the stream)'); }
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
     * The view's key goes in the playlist's query, not in an Authorization header: MediaMTX asks the bridge
     * about the first request only and carries its own session on, and a header would cost a CORS
     * preflight on every playlist and part request.
     */
    var url = current.hlsUrl + (current.hlsUrl.indexOf('?') < 0 ? '?' : '&') + 'key=' + encodeURIComponent(current.key);
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
    current.hls = hls;
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
      current.hls = null;
      var status = data.response ? data.response.code : 0;
      var manifest = data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR;
      if ((status === 401 || status === 403) && manifest) {
        say('failed: the relay refused this view (HTTP ' + status + ')');
      } else if (notThereYet) {
        /*
         * The stream went away (MediaMTX then forgets the playlist's session and answers 401 for it), or is
         * not there yet: open the multivariant playlist again, which asks the bridge afresh.
         */
        waitForStream(current);
      } else {
        retryLater(current, data.details);
      }
    });
    hls.on(Hls.Events.MANIFEST_PARSED, function () { video.play().catch(function () {}); });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  /*
   * The state line says "live" only while frames newer than this view's start request are playing:
   * over HLS, a frame's time is its EXT-X-PROGRAM-DATE-TIME (the relay's clock, which we map to ours
   * through the bridge's); over WebRTC the relay holds nothing back, so every frame received after
   * this player joined is new. A frame older than that (the relay's old segments) says "catching up";
   * no new frame for STALE_MS takes "live" away, and after REJOIN_MS the player is rebuilt.
   */
  function onFrame(current, metadata) {
    current.lastFrame = performance.now();
    var fresh;
    var video = el('video');
    if (current.transport === 'hls') {
      var date = current.hls && current.hls.playingDate;
      var requested = current.requestedAt + (current.clockSkew || 0);
      fresh = !!date && date.getTime() >= requested;
      video.dataset.frameTime = date ? new Date(date.getTime() - (current.clockSkew || 0)).toISOString() : '';
    } else {
      var received = metadata && typeof metadata.receiveTime === 'number' ? metadata.receiveTime : performance.now();
      fresh = received >= current.joinedAt;
      video.dataset.frameTime = new Date(performance.timeOrigin + received).toISOString();
    }
    current.fresh = fresh;
    if (fresh) {
      current.attempts = 0;
      current.waits = 0;
      if (current.transport === 'webrtc') { current.webrtcWorked = true; }
      say('live · ' + transportName(current));
    } else if (!/^retrying/.test(el('view-state').textContent)) {
      say('starting… (catching up with the live stream)');
    }
  }

  function watch(current) {
    if (current.closed || !current.playing) { return; }
    var quiet = performance.now() - current.lastFrame;
    if (quiet > REJOIN_MS) {
      resetPlayer(current);
      say('retrying: no new video for ' + Math.round(quiet / 1000) + ' s; joining the stream again');
      waitForStream(current);
    } else if (quiet > STALE_MS && /^live/.test(el('view-state').textContent)) {
      say('waiting for video… (no new frame for ' + (quiet / 1000).toFixed(1) + ' s)');
    }
  }

  function resetPlayer(current) {
    clearTimeout(current.retry);
    current.retry = null;
    current.again = null;
    if (current.player) { current.player.close(); current.player = null; }
    current.hls = null;
    var video = el('video');
    video.srcObject = null;
    video.removeAttribute('src');
    delete video.dataset.frameTime;
    current.playing = false;
    current.fresh = false;
    current.attempts = 0;
    current.waits = 0;
  }

  function release(current, onExit) {
    if (!current.lease) { return; }
    var url = '/robots/' + encodeURIComponent(current.robot) + '/views/' + encodeURIComponent(current.lease);
    current.lease = null;
    api('DELETE', url, { keepalive: onExit }).catch(function () {});
  }

  /** Stops playing and renewing; the viewer stays open with {@code text} until it is closed. */
  function endView(current, text) {
    current.closed = true;
    view = null;
    el('stop-robot').hidden = true;
    clearInterval(current.timer);
    clearInterval(current.watchdog);
    resetPlayer(current);
    if (current.early) { current.early.close(); current.early = null; }
    release(current, false);
    el('video').load();
    say(text);
    refreshRows();
  }

  function closeView(onExit) {
    var current = view;
    if (!current) {
      /* A view that ended by itself (an operator's hold) leaves only its last words to close. */
      if (onExit !== true && !el('viewer').hidden) { el('viewer').hidden = true; say(''); }
      return;
    }
    current.closed = true;
    view = null;
    clearInterval(current.timer);
    clearInterval(current.watchdog);
    clearTimeout(current.retry);
    if (current.player) { current.player.close(onExit === true); }
    if (current.early) { current.early.close(); }
    release(current, onExit === true);
    if (onExit !== true) {
      var video = el('video');
      video.srcObject = null;
      video.removeAttribute('src');
      delete video.dataset.frameTime;
      video.load();
      el('viewer').hidden = true;
      say('');
      refreshRows();
      var back = document.querySelector('#robots li[data-robot="' + CSS.escape(current.robot) + '"] .go-live');
      if (back) { back.focus(); }
    }
  }

  async function stopRobot(id) {
    if (view && view.robot === id) { closeView(); }
    await operate(id, 'stream/stop', 'Stop');
  }

  /* ---------- wiring ---------- */

  var video = el('video');
  function frameLoop(now, metadata) {
    if (view && view.transport && view.playing) { onFrame(view, metadata); }
    video.requestVideoFrameCallback(frameLoop);
  }
  if (video.requestVideoFrameCallback) {
    video.requestVideoFrameCallback(frameLoop);
  }
  video.addEventListener('playing', function () {
    if (view && view.transport) {
      view.playing = true;
      view.lastFrame = performance.now();
      if (!video.requestVideoFrameCallback) {
        /* No frame callbacks (older Safari): the playing event is all we know. */
        view.fresh = true;
        say('live · ' + transportName(view));
      }
    }
  });
  video.addEventListener('waiting', function () {
    if (view && view.playing && view.fresh) { say('waiting for video… (buffering)'); }
  });
  el('sign-in').addEventListener('submit', signIn);
  el('sign-out').addEventListener('click', function () { signOut(); });
  el('close-view').addEventListener('click', function () { closeView(); });
  el('close-clips').addEventListener('click', function () { closeClips(); });
  el('stop-robot').addEventListener('click', function () { if (view) { stopRobot(view.robot); } });
  /* pagehide fires on close, reload and navigation (also bfcache); keepalive lets the DELETE outlive the page. */
  window.addEventListener('pagehide', function () { closeView(true); });
  /* Back from the back/forward cache: the view was released on pagehide, so show the list again. */
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) { el('viewer').hidden = true; say(''); }
  });
  /* The "stops in N s" countdown of robots nobody watches. */
  setInterval(function () {
    Object.keys(robots).forEach(function (id) {
      var robot = robots[id];
      if (robot.stopsAt && !robot.views) {
        var item = document.querySelector('#robots li[data-robot="' + CSS.escape(id) + '"] .views');
        if (item) { item.textContent = watchersText(robot); }
      }
    });
  }, 1000);

  /* A session from earlier (the cookie is HttpOnly; only the bridge can say). */
  api('GET', '/session').then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (session) {
    if (session) { enter(session); }
  }).catch(function () { /* not signed in */ });
}());
