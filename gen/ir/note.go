package ir

// Note is something analysis did that the user did not ask for in so many
// words and should know about, such as leaving a cell of shell lines out
// of the pipeline. Unlike an error it does not stop generation; inspect
// lists the notes and generate prints them.
type Note struct {
	Pos  Pos    `json:"pos"`
	Msg  string `json:"msg"`
	Hint string `json:"hint,omitempty"` // how to act on it; the same for notes of one kind
}

// String formats the note as generate prints it, without the hint.
func (n *Note) String() string {
	return n.Pos.String() + ": note: " + n.Msg
}
