package engine

// A process that runs one remote step at a time — a step's own process,
// or a worker that takes one step at a time — runs each step alone, as a
// local run does a step with nothing beside it: the step takes the
// process's displays, and what it prints to os.Stdout is its own (see
// Runner.schedule). Only until a step is abandoned (it ignored its
// context past its timeout): its goroutine may still print or display, so
// no later step of the process runs alone.

// OneStepAtATime says that the steps run with x run one at a time in this
// process, and that nothing else in it prints to os.Stdout or displays.
func (x *StepIndex) OneStepAtATime() { x.oneAtATime.Store(true) }

// alone readies r to run its step alone, when it may, and says whether.
func (x *StepIndex) alone(r *Runner) bool {
	alone := x.oneAtATime.Load() && !x.abandoned.Load()
	r.osCapture.Store(alone)
	return alone
}

// ran notes whether the step r ran alone was abandoned (execStep clears
// r.osCapture then).
func (x *StepIndex) ran(r *Runner, alone bool) {
	if alone && !r.osCapture.Load() {
		x.abandoned.Store(true)
	}
}
