// Result tones with WebAudio: a rising chirp for accepted, a low buzz for rejected.
let ctx = null;

function audio() {
  if (!ctx) {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    ctx = new Ctx();
  }
  if (ctx.state === "suspended") ctx.resume().catch(() => {});
  return ctx;
}

// Browsers start audio only after a user gesture; unlock on the first touch.
for (const ev of ["pointerdown", "keydown"]) window.addEventListener(ev, () => audio(), { once: true });

const TONES = {
  accepted: [[880, 0, 0.09, "sine"], [1320, 0.1, 0.14, "sine"]],
  duplicate: [[660, 0, 0.12, "triangle"]],
  rejected: [[220, 0, 0.18, "square"], [180, 0.22, 0.3, "square"]],
};

/** Play the tone for a scan outcome kind (accepted, duplicate, rejected). */
export function beep(kind) {
  const ac = audio();
  if (!ac || ac.state !== "running") return;
  const t0 = ac.currentTime;
  for (const [freq, start, length, type] of TONES[kind] || []) {
    const osc = ac.createOscillator();
    const gain = ac.createGain();
    osc.type = type;
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t0 + start);
    gain.gain.exponentialRampToValueAtTime(0.3, t0 + start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + start + length);
    osc.connect(gain).connect(ac.destination);
    osc.start(t0 + start);
    osc.stop(t0 + start + length + 0.02);
  }
}
