// Sangfroid web app: live dashboard updates over Server-Sent Events. No framework; the page
// works without this file (it just does not update by itself).
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const live = document.getElementById('live');
  if (!live || !window.EventSource) {
    return;
  }
  const source = new EventSource(live.dataset.live);
  source.addEventListener('open', () => {
    live.textContent = live.dataset.connected;
    live.className = 'live on';
  });
  source.addEventListener('error', () => {
    live.textContent = live.dataset.lost;
    live.className = 'live off';
  });
  source.addEventListener('expired', () => {
    source.close();
    window.location.assign('/login?next=%2F');
  });
  source.addEventListener('units', (event) => {
    for (const unit of JSON.parse(event.data)) {
      const row = document.getElementById('unit-' + unit.id);
      if (!row) {
        continue;
      }
      row.className = 'unit state-' + unit.state;
      row.querySelector('.temperature').textContent = unit.temperature;
      row.querySelector('.state').textContent = unit.stateText;
      row.querySelector('.age').textContent = unit.age;
      row.querySelector('.agent').textContent = unit.agent;
    }
    live.textContent = live.dataset.connected;
    live.className = 'live on';
    live.dataset.updates = String(Number(live.dataset.updates || '0') + 1);
  });
});

// Reports (issue 5): a report being made in the background; poll its status until its file is ready.
document.addEventListener('DOMContentLoaded', () => {
  const job = document.getElementById('job');
  if (!job || job.dataset.state === 'DONE' || job.dataset.state === 'FAILED') {
    return;
  }
  const progress = document.getElementById('job-progress');
  const percent = document.getElementById('job-percent');
  const poll = () => {
    fetch(job.dataset.status, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((s) => {
        progress.value = s.percent;
        percent.textContent = String(s.percent);
        job.dataset.state = s.state;
        if (s.state === 'DONE') {
          const link = document.getElementById('job-download');
          link.href = s.download;
          link.hidden = false;
          document.getElementById('job-wait').hidden = true;
        } else if (s.state === 'FAILED') {
          document.getElementById('job-failed').hidden = false;
          document.getElementById('job-wait').hidden = true;
        } else {
          setTimeout(poll, 500);
        }
      })
      .catch(() => setTimeout(poll, 2000));
  };
  poll();
});
