/*
 * A small WHEP client (RFC 9725) for MediaMTX: one receive-only video and one audio transceiver,
 * the offer POSTed as application/sdp once ICE gathering is done (no trickle), the answer set,
 * and the session's Location DELETEd on close.
 *
 * The offer is made once and may be POSTed again: while the relay has no stream yet it answers
 * 404 at once, and a retry then costs one HTTP request, not a new peer connection and gathering.
 */
(function () {
  'use strict';

  /*
   * Chromium gathers its host candidates (mDNS names) in about 10 ms and declares gathering complete
   * some 120-200 ms later; past this, send what there is. MediaMTX needs none of them: it learns the
   * browser's address from the browser's own connectivity checks (a peer-reflexive candidate).
   */
  var GATHERING_MAX_MS = 500;

  function supported() {
    return typeof window.RTCPeerConnection === 'function';
  }

  /** An error with the HTTP status of the WHEP answer (0: the server could not be reached; -1: the browser failed). */
  function WhepError(message, status) {
    var error = new Error(message);
    error.name = 'WhepError';
    error.status = status;
    return error;
  }

  function gathered(pc) {
    return new Promise(function (resolve) {
      if (pc.iceGatheringState === 'complete') { resolve(); return; }
      var timer = setTimeout(resolve, GATHERING_MAX_MS);
      pc.addEventListener('icegatheringstatechange', function () {
        if (pc.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
      });
    });
  }

  async function problem(response) {
    try {
      var body = await response.json();
      return body.error || body.detail || ('HTTP ' + response.status);
    } catch (e) {
      return 'HTTP ' + response.status;
    }
  }

  /**
   * A WHEP session that shows its stream in `video`. Nothing is sent until post(url, authorization).
   * options.connectTimeoutMs: fail when ICE has not connected this long after the answer;
   * options.onFailed(reason): called once when the connection fails, times out or drops after the answer.
   */
  function session(video, options) {
    var pc = new RTCPeerConnection({ iceServers: [] });
    var closed = false;
    var failed = false;
    var answered = false;
    var location = null;
    var authorization = null;

    function close(keepalive) {
      if (closed) { return; }
      closed = true;
      pc.close();
      if (location) {
        fetch(location, { method: 'DELETE', headers: authorization ? { Authorization: authorization } : {},
          keepalive: keepalive === true }).catch(function () {});
      }
    }

    function fail(reason) {
      if (closed || failed) { return; }
      failed = true;
      close(false);
      if (options.onFailed) { options.onFailed(reason); }
    }

    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    var stream = new MediaStream();
    pc.addEventListener('track', function (event) {
      stream.addTrack(event.track);
      if (video.srcObject !== stream) { video.srcObject = stream; }
      video.play().catch(function () {});
    });
    pc.addEventListener('connectionstatechange', function () {
      if (pc.connectionState === 'failed') { fail('the WebRTC connection failed'); }
      if (pc.connectionState === 'closed') { fail('the relay closed the WebRTC connection'); }
    });

    var offered = pc.createOffer()
      .then(function (offer) { return pc.setLocalDescription(offer); })
      .then(function () { return gathered(pc); });

    /** POSTs the offer to `url`; resolves once the answer is set, rejects with a WhepError. */
    async function post(url, credential) {
      if (answered || closed) { throw WhepError('this session is ' + (closed ? 'closed' : 'already answered'), -1); }
      authorization = credential;
      try {
        await offered;
      } catch (e) {
        throw WhepError(e.message, -1);
      }
      var headers = { 'Content-Type': 'application/sdp' };
      if (authorization) { headers.Authorization = authorization; }
      var response;
      try {
        response = await fetch(url, { method: 'POST', headers: headers, body: pc.localDescription.sdp, cache: 'no-store' });
      } catch (e) {
        throw WhepError('the WebRTC server cannot be reached (' + e.message + ')', 0);
      }
      if (response.status !== 201) {
        throw WhepError(await problem(response), response.status);
      }
      var sdp = await response.text();
      if (closed) { throw WhepError('this session is closed', -1); }
      answered = true;
      if (response.headers.get('Location')) {
        location = new URL(response.headers.get('Location'), url).href;
      }
      try {
        await pc.setRemoteDescription({ type: 'answer', sdp: sdp });
      } catch (e) {
        close(false);
        throw WhepError('the answer cannot be used (' + e.message + ')', -1);
      }
      if (options.connectTimeoutMs) {
        setTimeout(function () {
          if (pc.connectionState !== 'connected') {
            fail('WebRTC did not connect within ' + (options.connectTimeoutMs / 1000) + ' s (UDP blocked?)');
          }
        }, options.connectTimeoutMs);
      }
    }

    return { post: post, close: close };
  }

  window.VigilWhep = { supported: supported, session: session };
}());
