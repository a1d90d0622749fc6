/**
 * The till's two sounds, made with Web Audio oscillators (no asset files): a bright rising
 * two-note chime for success, a low double buzz for failure — distinct enough to tell apart
 * without looking at the screen.
 */
export type TillSound = 'success' | 'failure';

interface Note {
  frequency: number;
  type: OscillatorType;
  start: number;
  duration: number;
}

const SOUNDS: Record<TillSound, Note[]> = {
  success: [
    { frequency: 880, type: 'sine', start: 0, duration: 0.09 },
    { frequency: 1320, type: 'sine', start: 0.1, duration: 0.16 },
  ],
  failure: [
    { frequency: 196, type: 'square', start: 0, duration: 0.16 },
    { frequency: 196, type: 'square', start: 0.22, duration: 0.22 },
  ],
};

let context: AudioContext | null = null;

export function playSound(sound: TillSound): void {
  // Which sound played last is visible on <html data-till-sound> (end-to-end tests read it).
  if (typeof document !== 'undefined') document.documentElement.dataset.tillSound = sound;
  try {
    const AudioCtor = globalThis.AudioContext;
    if (!AudioCtor) return;
    context ??= new AudioCtor();
    if (context.state === 'suspended') void context.resume().catch(() => {});
    const t0 = context.currentTime + 0.01;
    for (const note of SOUNDS[sound]) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = note.type;
      osc.frequency.value = note.frequency;
      // Short attack and release, so the tones do not click.
      gain.gain.setValueAtTime(0, t0 + note.start);
      gain.gain.linearRampToValueAtTime(0.18, t0 + note.start + 0.01);
      gain.gain.linearRampToValueAtTime(0, t0 + note.start + note.duration);
      osc.connect(gain).connect(context.destination);
      osc.start(t0 + note.start);
      osc.stop(t0 + note.start + note.duration + 0.02);
    }
  } catch {
    // No audio device (or blocked): the screen still says everything.
  }
}
