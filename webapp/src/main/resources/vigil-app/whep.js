/*
 * A small WHEP client (RFC 9725) for MediaMTX: one receive-only video and audio transceiver,
 * the offer POSTed as application/sdp once ICE gathering is done (no trickle), the answer set,
 * and the session's Location DELETEd on close. window.VigilWhep.open(...) resolves when the
 * answer is set; the caller watches the video element and onFailed for the rest.
 */
(function () {
  'use strict';

  /* Loopback and LAN candidates are gathered in a few milliseconds; past this, send what there is. */
  var GATHERING_MAX_MS = 1000;

  function supported() {
    return typeof window.RTCPeerConnection === 'function';
  }

  /** An error with the HTTP status of the WHEP answer (0 when the server could not be reached). */
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
   * Opens a WHEP session on `url` and shows it in `video`.
   * options.authorization: the Authorization header for the relay;
   * options.onFailed(reason): called once when the connection fails or drops after the answer.
   * Resolves to { close(keepalive) }; rejects with a WhepError (status 0: the server is unreachable).
   */
  async function open(url, video, options) {
    var pc = new RTCPeerConnection({ iceServers: [] });
    var closed = false;
    var failed = false;
    var location = null;
    var headers = { 'Content-Type': 'application/sdp' };
    if (options.authorization) { headers.Authorization = options.authorization; }

    function close(keepalive) {
      if (closed) { return; }
      closed = true;
      pc.close();
      if (location) {
        fetch(location, { method: 'DELETE', headers: options.authorization ? { Authorization: options.authorization } : {},
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
      if (pc.connectionState === 'failed') { fail('the WebRTC connection failed (ICE)'); }
      if (pc.connectionState === 'closed') { fail('the WebRTC connection closed'); }
    });

    var response;
    try {
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      try {
        response = await fetch(url, { method: 'POST', headers: headers, body: pc.localDescription.sdp, cache: 'no-store' });
      } catch (e) {
        throw WhepError('the WebRTC server cannot be reached (' + e.message + ')', 0);
      }
      if (response.status !== 201) {
        throw WhepError(await problem(response), response.status);
      }
      if (response.headers.get('Location')) {
        location = new URL(response.headers.get('Location'), url).href;
      }
      await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    } catch (e) {
      close(false);
      throw e.name === 'WhepError' ? e : WhepError(e.message, -1);
    }
    return { close: close };
  }

  window.VigilWhep = { supported: supported, open: open };
}());
