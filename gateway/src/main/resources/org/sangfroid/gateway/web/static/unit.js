// Sangfroid unit page: the temperature chart (uPlot), its limits, excursions and events, and the
// summary of the period shown. The server downsamples: each load asks for about 1000 points of
// the visible period (GET /api/units/{id}/chart), so a year is as quick as an hour.
// What the page holds is kept on the chart element (data-*) and in window.sangfroidChart, for the
// browser tests and for anyone checking what is drawn.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const box = document.getElementById('chart');
  const status = document.getElementById('chart-status');
  if (!box || !window.uPlot) {
    return;
  }
  const d = box.dataset;
  const HOUR = 3600e3;
  const POINTS = 1000;
  const now = Number(d.now);
  const lang = d.lang || 'en';
  const zone = d.zone === 'Z' ? 'UTC' : d.zone;
  const limit = (name) => (d[name] === undefined ? null : Number(d[name]));
  const low = limit('low');
  const high = limit('high');
  const warnLow = limit('warnLow');
  const warnHigh = limit('warnHigh');
  const one = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const whole = new Intl.NumberFormat(lang);
  const celsius = (v) => (v === null || v === undefined ? '—' : one.format(v) + '\u00a0°C');
  const fill = (text, value) => text.replace('{0}', value);
  let tz; // the gateway's time zone, if the browser knows it; else the browser's own
  try {
    new Intl.DateTimeFormat(lang, { timeZone: zone });
    tz = zone;
  } catch (e) {
    tz = undefined; // an offset such as +02:00
  }
  const zoned = tz ? (date) => uPlot.tzDate(date, tz) : (date) => date;
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz });

  function duration(ms) {
    const min = Math.round(ms / 60e3);
    if (min < 60) {
      return min + '\u00a0min';
    }
    const h = Math.floor(min / 60);
    if (h < 48) {
      return h + '\u00a0h' + (min % 60 ? '\u00a0' + (min % 60) + '\u00a0min' : '');
    }
    return Math.floor(h / 24) + '\u00a0' + (lang === 'fr' ? 'j' : 'd') + (h % 24 ? '\u00a0' + (h % 24) + '\u00a0h' : '');
  }

  let plot = null;
  let shown = null; // what is drawn: {from, to, raw, bucketMillis, points, excursions, events}
  let loads = 0;

  async function json(url) {
    const r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (r.status === 401) {
      window.location.assign('/login?next=' + encodeURIComponent(window.location.pathname));
      throw new Error('logged out');
    }
    if (!r.ok) {
      throw new Error('HTTP ' + r.status);
    }
    return r.json();
  }

  async function load(from, to) {
    from = Math.round(from);
    to = Math.round(to);
    const mine = ++loads;
    status.textContent = d.tLoading;
    const range = '?from=' + from + '&to=' + to;
    try {
      const [chart, events] = await Promise.all([
        json(d.chart + range + '&points=' + POINTS),
        json(d.events + range),
      ]);
      if (mine !== loads) {
        return; // a newer load was asked for meanwhile
      }
      draw(from, to, chart, events.filter((e) => e.type in EVENT_KEYS));
    } catch (e) {
      if (mine === loads) {
        status.textContent = fill(d.tFailed, e.message);
      }
      return;
    }
    summary(from, to, mine);
  }

  const EVENT_KEYS = { door_open: 'tEventDoorOpen', power_lost: 'tEventPowerLost', agitator_stopped: 'tEventAgitatorStopped' };

  function draw(from, to, chart, events) {
    const xs = [];
    const mean = [];
    const min = [];
    const max = [];
    for (const p of chart.points) {
      xs.push(Date.parse(p.t) / 1000);
      mean.push(p.mean);
      min.push(p.min);
      max.push(p.max);
    }
    shown = {
      from, to, raw: chart.raw, bucketMillis: chart.bucketMillis, points: chart.points,
      excursions: chart.excursions.map((x) => ({
        alarm: x.alarm, kind: x.kind, from: Date.parse(x.startedAt),
        to: x.clearedAt === null ? now : Date.parse(x.clearedAt),
      })),
      events: events.map((e) => ({ t: Date.parse(e.t), type: e.type, active: e.active })),
    };
    window.sangfroidChart = shown;
    const opts = {
      width: Math.max(320, box.clientWidth),
      height: 360,
      tzDate: (ts) => zoned(new Date(ts * 1e3)),
      scales: {
        x: { time: true, min: from / 1000, max: to / 1000 },
        y: { range: (u, lo, hi) => yRange(lo, hi) },
      },
      cursor: { drag: { x: true, y: false, setScale: false } },
      series: [
        {},
        { label: d.tMean, stroke: '#12324a', width: 1.5, value: (u, v) => celsius(v) },
        { label: d.tMin, stroke: 'rgba(18,50,74,.35)', width: 1, value: (u, v) => celsius(v) },
        { label: d.tMax, stroke: 'rgba(18,50,74,.35)', width: 1, value: (u, v) => celsius(v) },
      ],
      bands: [{ series: [3, 2], fill: 'rgba(18,50,74,.15)' }],
      axes: [{}, { label: d.tTemperature + ' (°C)', values: (u, ticks) => ticks.map((v) => one.format(v)) }],
      hooks: {
        drawClear: [backdrop],
        draw: [marks],
        setSelect: [zoom],
      },
    };
    if (plot) {
      plot.destroy();
    }
    plot = new uPlot(opts, [xs, mean, min, max], box);
    box.dataset.loads = String(Number(box.dataset.loads || '0') + 1);
    box.dataset.from = String(from);
    box.dataset.to = String(to);
    box.dataset.raw = String(chart.raw);
    box.dataset.bucketMillis = String(chart.bucketMillis);
    box.dataset.points = String(chart.points.length);
    status.textContent = chart.points.length === 0 ? d.tEmpty
      : chart.raw ? fill(d.tRaw, whole.format(chart.points.length)) : fill(d.tBuckets, duration(chart.bucketMillis));
  }

  function yRange(lo, hi) {
    const wanted = [lo, hi, low, high, warnLow, warnHigh].filter((v) => v !== null && Number.isFinite(v));
    let a = Math.min(...wanted);
    let b = Math.max(...wanted);
    if (!Number.isFinite(a)) {
      a = 0;
      b = 10;
    }
    const pad = Math.max(0.5, (b - a) * 0.08);
    return [Math.floor(a - pad), Math.ceil(b + pad)];
  }

  // Behind the readings: the acceptable range (green), the warning zones (amber), excursions (red).
  function backdrop(u) {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const y = (v) => u.valToPos(v, 'y', true);
    const x = (ms) => u.valToPos(ms / 1000, 'x', true);
    const bands = [];
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    if (low !== null || high !== null) {
      const yTop = high === null ? top : y(high);
      const yBottom = low === null ? top + height : y(low);
      ctx.fillStyle = 'rgba(27,127,59,.10)';
      ctx.fillRect(left, yTop, width, yBottom - yTop);
      bands.push('range');
    }
    ctx.fillStyle = 'rgba(179,107,0,.16)';
    if (warnHigh !== null && high !== null) {
      ctx.fillRect(left, y(high), width, y(warnHigh) - y(high));
      bands.push('warning-high');
    }
    if (warnLow !== null && low !== null) {
      ctx.fillRect(left, y(warnLow), width, y(low) - y(warnLow));
      bands.push('warning-low');
    }
    ctx.fillStyle = 'rgba(179,0,27,.16)';
    let excursions = 0;
    for (const e of shown.excursions) {
      const a = Math.max(x(e.from), left);
      const b = Math.min(x(e.to), left + width);
      if (b > a) {
        ctx.fillRect(a, top, Math.max(1, b - a), height);
        excursions++;
      }
    }
    ctx.strokeStyle = 'rgba(179,0,27,.8)';
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 1;
    for (const v of [low, high]) {
      if (v !== null) {
        ctx.beginPath();
        ctx.moveTo(left, y(v));
        ctx.lineTo(left + width, y(v));
        ctx.stroke();
      }
    }
    ctx.restore();
    box.dataset.bands = bands.join(' ');
    box.dataset.excursionsDrawn = String(excursions);
  }

  // Over the readings: door, power and agitator events, a dashed line and a label at the top.
  function marks(u) {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    let drawn = 0;
    ctx.save();
    ctx.font = Math.round(11 * devicePixelRatio) + 'px system-ui, sans-serif';
    ctx.setLineDash([3, 3]);
    for (const e of shown.events) {
      if (!e.active) {
        continue; // the start is marked; the end shows in the list of events of the alarm, if any
      }
      const px = u.valToPos(e.t / 1000, 'x', true);
      if (px < left || px > left + width) {
        continue;
      }
      ctx.strokeStyle = '#6a1b9a';
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, top + height);
      ctx.stroke();
      ctx.fillStyle = '#6a1b9a';
      ctx.fillText(d[EVENT_KEYS[e.type]], px + 3, top + 12 * devicePixelRatio);
      drawn++;
    }
    ctx.restore();
    box.dataset.eventsDrawn = String(drawn);
    box.dataset.drawn = 'true';
  }

  function zoom(u) {
    if (u.select.width < 2) {
      return;
    }
    const a = u.posToVal(u.select.left, 'x') * 1000;
    const b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    press(null);
    load(a, Math.max(b, a + 60e3));
  }

  async function summary(from, to, mine) {
    const out = (key, text) => {
      document.getElementById('summary-' + key).textContent = text;
    };
    document.getElementById('summary-range').textContent = '(' + when.format(new Date(from)) + ' – '
      + when.format(new Date(to)) + ')';
    if (to - from > 366 * 24 * HOUR) {
      box.dataset.summaryState = 'none';
      return;
    }
    box.dataset.summaryState = 'loading';
    try {
      const s = await json(d.summary + '?from=' + from + '&to=' + to);
      if (mine !== loads) {
        return;
      }
      out('min', celsius(s.min));
      out('max', celsius(s.max));
      out('mean', celsius(s.mean));
      out('meanKinetic', celsius(s.meanKinetic));
      out('outOfRange', duration(s.outOfRangeSeconds * 1000));
      out('uncovered', duration(s.uncoveredSeconds * 1000));
      out('readings', whole.format(s.readings));
    } catch (e) {
      // the chart is what matters; the summary stays empty
    }
    box.dataset.summaryState = 'done';
  }

  function press(button) {
    for (const b of document.querySelectorAll('button.range')) {
      b.setAttribute('aria-pressed', String(b === button));
    }
  }

  for (const b of document.querySelectorAll('button.range')) {
    b.addEventListener('click', () => {
      press(b);
      load(now - Number(b.dataset.hours) * HOUR, now);
    });
  }
  window.addEventListener('resize', () => {
    if (plot) {
      plot.setSize({ width: Math.max(320, box.clientWidth), height: 360 });
    }
  });
  // ?hours=8760 opens the page on that preset (a link to a unit's year, and the web bench)
  const asked = document.getElementById('range-' + new URLSearchParams(window.location.search).get('hours') + 'h');
  const first = asked || document.getElementById('range-24h');
  press(first);
  load(now - Number(first.dataset.hours) * HOUR, now);
});
