// Watches one pipeline run over the progress WebSocket and draws its steps as a graph, left to right by depth.
// The run is named in the query (?project=…&pipeline=…&run=…). The bearer token comes only from signing in on this
// page (POST /auth/login) and is kept in sessionStorage: never from the address, where it would end up in history,
// bookmarks, screenshots and shared links. The socket carries it in Sec-WebSocket-Protocol, never in its URL.
(() => {
  const q = new URLSearchParams(location.search);
  const ids = { project: q.get('project'), pipeline: q.get('pipeline'), run: q.get('run') };
  const state = { steps: new Map(), seq: 0, finished: false, events: 0 };
  window.rime = state;
  const $ = (id) => document.getElementById(id);

  function log(text) {
    const line = document.createElement('div');
    line.textContent = new Date().toISOString().slice(11, 19) + '  ' + text;
    $('log').prepend(line);
  }

  function setRunStatus(status) {
    document.body.dataset.runStatus = status;
    $('status').textContent = status;
  }

  function depthOf(steps) {
    const depth = new Map();
    const visit = (key, seen = new Set()) => {
      if (depth.has(key)) return depth.get(key);
      if (seen.has(key)) return 0;
      seen.add(key);
      const s = steps.get(key);
      const d = s && s.depends_on.length ? 1 + Math.max(...s.depends_on.map(k => visit(k, seen))) : 0;
      depth.set(key, d);
      return d;
    };
    steps.forEach((_, key) => visit(key));
    return depth;
  }

  function render() {
    const dag = $('dag');
    dag.querySelectorAll('.column').forEach(c => c.remove());
    const depth = depthOf(state.steps);
    const columns = [];
    state.steps.forEach((step, key) => {
      const d = depth.get(key);
      if (!columns[d]) {
        columns[d] = document.createElement('div');
        columns[d].className = 'column';
      }
      const node = document.createElement('div');
      node.className = 'step';
      node.id = 'step-' + key;
      node.dataset.status = step.status;
      node.innerHTML = '<div class="key"></div><div class="meta"></div>';
      node.querySelector('.key').textContent = step.name || key;
      columns[d].appendChild(node);
      paint(key);
    });
    columns.filter(Boolean).forEach(c => dag.appendChild(c));
    drawEdges();
  }

  function paint(key) {
    const step = state.steps.get(key);
    const node = $('step-' + key);
    if (!step || !node) return;
    node.dataset.status = step.status;
    const attempt = step.attempt > 1 ? ' · attempt ' + step.attempt : '';
    node.querySelector('.meta').textContent = step.type + ' · ' + step.status + attempt;
    let bar = node.querySelector('progress');
    if (step.progress && step.progress.total) {
      bar = bar || node.appendChild(document.createElement('progress'));
      bar.max = step.progress.total;
      bar.value = step.progress.current;
    }
  }

  function drawEdges() {
    const svg = $('edges');
    const box = $('dag').getBoundingClientRect();
    svg.setAttribute('width', box.width);
    svg.setAttribute('height', box.height);
    svg.innerHTML = '';
    state.steps.forEach((step, key) => step.depends_on.forEach(up => {
      const a = $('step-' + up), b = $('step-' + key);
      if (!a || !b) return;
      const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
      const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      line.setAttribute('x1', ra.right - box.left); line.setAttribute('y1', ra.top + ra.height / 2 - box.top);
      line.setAttribute('x2', rb.left - box.left); line.setAttribute('y2', rb.top + rb.height / 2 - box.top);
      line.setAttribute('stroke', '#9aa1ad');
      svg.appendChild(line);
    }));
  }

  function onMessage(message) {
    state.events++;
    state.seq = message.seq;
    $('seq').textContent = 'seq ' + message.seq;
    switch (message.type) {
      case 'snapshot': {
        state.steps = new Map(message.run.steps.map(s => [s.key, s]));
        $('title').textContent = 'Run ' + message.run.id.slice(0, 8) + ' · version ' + message.run.version;
        setRunStatus(message.run.status);
        render();
        if (message.finished) state.finished = true;
        break;
      }
      case 'step.status': {
        const step = state.steps.get(message.step_key);
        if (step) Object.assign(step, { status: message.status, attempt: message.attempt, error: message.error });
        paint(message.step_key);
        log(message.step_key + ' ' + message.status + (message.error ? ': ' + message.error : ''));
        break;
      }
      case 'step.progress': {
        const step = state.steps.get(message.step_key);
        if (step) step.progress = { current: message.current, total: message.total, unit: message.unit };
        paint(message.step_key);
        break;
      }
      case 'step.log':
        log(message.step_key + ': ' + message.message);
        break;
      case 'run.status':
        setRunStatus(message.status);
        break;
      case 'run.finished':
        setRunStatus(message.status);
        state.finished = true;
        log('run ' + message.status);
        break;
    }
  }

  function connect() {
    const token = sessionStorage.getItem('rime.token');
    if (!token) {
      $('login').style.display = 'flex';
      return;
    }
    const url = 'wss://' + location.host + '/api/v1/projects/' + ids.project + '/pipelines/' + ids.pipeline
      + '/runs/' + ids.run + '/progress' + (state.seq ? '?since_seq=' + state.seq : '');
    const socket = new WebSocket(url, ['bearer-token-carrier',
      'quarkus-http-upgrade#Authorization#' + encodeURIComponent('Bearer ' + token)]);
    socket.onmessage = (e) => onMessage(JSON.parse(e.data));
    socket.onclose = (e) => {
      if (state.finished || e.code === 1000) return;
      log('connection closed (' + e.code + '); resuming after seq ' + state.seq);
      setTimeout(connect, 1000);
    };
  }

  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const answer = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }) });
    if (!answer.ok) { log('sign-in failed (' + answer.status + ')'); return; }
    sessionStorage.setItem('rime.token', (await answer.json()).access_token);
    $('login').style.display = 'none';
    connect();
  });

  if (!ids.project || !ids.pipeline || !ids.run) {
    setRunStatus('missing ?project=…&pipeline=…&run=…');
  } else {
    connect();
  }
})();
