package store

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// rowSource yields the records of a groups file in groupColumns-addressable
// form: columns maps a column name to its index in each record.
type rowSource interface {
	columns() map[string]int
	// next returns a record and the line it starts on, io.EOF at the end,
	// or a badRow for a record that cannot be read (the rest still can).
	next() ([]string, int, error)
}

// badRow is a record that could not be read, with its line and why.
type badRow struct {
	line   int
	reason string
}

func (b badRow) Error() string { return fmt.Sprintf("line %d: %s", b.line, b.reason) }

// groupRows picks the reader by the first non-space byte: '[' is JSON, else CSV.
func groupRows(r io.Reader) (rowSource, error) {
	br := bufio.NewReader(r)
	for {
		b, err := br.Peek(1)
		if err == io.EOF {
			return nil, errors.New("the file is empty: give a CSV with a header row, or a JSON array of groups")
		}
		if err != nil {
			return nil, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.ReadByte()
			continue
		case '[':
			return newJSONRows(br)
		}
		return newCSVRows(br)
	}
}

type csvRows struct {
	r   *csv.Reader
	col map[string]int
}

func newCSVRows(r io.Reader) (*csvRows, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read the CSV header row: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range groupColumns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("the header lacks column %q: the columns are %s", c, strings.Join(groupColumns, ","))
		}
	}
	return &csvRows{r: cr, col: col}, nil
}

func (c *csvRows) columns() map[string]int { return c.col }

func (c *csvRows) next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, 0, badRow{pe.StartLine, pe.Err.Error()}
	}
	if err != nil {
		return nil, 0, err
	}
	line, _ := c.r.FieldPos(0)
	return rec, line, nil
}

type jsonRows struct {
	data []byte
	dec  *json.Decoder
	col  map[string]int
}

func newJSONRows(r io.Reader) (*jsonRows, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // the opening '['
		return nil, fmt.Errorf("read JSON: %w", err)
	}
	col := make(map[string]int, len(groupColumns))
	for i, c := range groupColumns {
		col[c] = i
	}
	return &jsonRows{data: data, dec: dec, col: col}, nil
}

func (j *jsonRows) columns() map[string]int { return j.col }

func (j *jsonRows) next() ([]string, int, error) {
	if !j.dec.More() {
		return nil, 0, io.EOF
	}
	line := j.lineAt(j.dec.InputOffset())
	var obj map[string]any
	if err := j.dec.Decode(&obj); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, line, badRow{line, "is not a JSON object"}
		}
		return nil, 0, fmt.Errorf("read JSON at line %d: %w (the rest of the file cannot be read)", line, err)
	}
	rec := make([]string, len(groupColumns))
	for k, v := range obj {
		i, ok := j.col[k]
		if !ok {
			return nil, line, badRow{line, fmt.Sprintf("unknown key %q: the keys are %s", k, strings.Join(groupColumns, ","))}
		}
		switch v := v.(type) {
		case nil:
		case string:
			rec[i] = v
		case json.Number:
			rec[i] = v.String()
		case bool:
			rec[i] = strconv.FormatBool(v)
		default:
			return nil, line, badRow{line, fmt.Sprintf("%s is not a string or number", k)}
		}
	}
	return rec, line, nil
}

// lineAt is the 1-based line of byte offset off, skipping the separator and
// spaces before the next value.
func (j *jsonRows) lineAt(off int64) int {
	for off < int64(len(j.data)) && strings.ContainsRune(", \t\r\n", rune(j.data[off])) {
		off++
	}
	return bytes.Count(j.data[:off], []byte("\n")) + 1
}
