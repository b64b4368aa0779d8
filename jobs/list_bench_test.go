package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/lib/pq"

	"switchboard/workflows"
)

// BenchmarkListDraft drafts a list reply (look-up, text, HTML, CSV) for the
// largest district and for California, on the shipped 5,000 groups and on
// 200,000 (the shipped rows plus synthetic copies written with COPY).
func BenchmarkListDraft(b *testing.B) {
	for _, size := range []int{5000, 200000} {
		p, st := listPipeline(b)
		if size > 5000 {
			if err := listSynthesize(b.Context(), st.DB(), size); err != nil {
				b.Fatal(err)
			}
		}
		var district string
		if err := st.DB().QueryRowContext(b.Context(), `SELECT district FROM groups WHERE status = 'active'
			AND district <> '' GROUP BY district ORDER BY count(*) DESC, district LIMIT 1`).Scan(&district); err != nil {
			b.Fatal(err)
		}
		cases := []struct {
			name string
			f    workflows.Fields
		}{
			{"district=" + district, workflows.Fields{District: district, Districts: []string{district}, State: district[:2]}},
			{"state=CA", workflows.Fields{State: "CA", Statewide: true}},
		}
		in := listInbound("list please")
		for _, c := range cases {
			b.Run(fmt.Sprintf("groups=%d/%s", size, c.name), func(b *testing.B) {
				var n int
				for b.Loop() {
					d, err := p.listDraft(b.Context(), in, c.f)
					if err != nil {
						b.Fatal(err)
					}
					n = len(d.GroupIDs)
				}
				b.ReportMetric(float64(n), "groups")
			})
		}
	}
}

// listSynthesize copies the shipped groups until the directory holds total
// rows: each copy keeps the place (city, state, ZIP, district) and moves the
// point by a few hundred metres, so look-ups see a realistic spread.
func listSynthesize(ctx context.Context, db *sql.DB, total int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, name, city, state, zip, district, latitude, longitude, status
		FROM groups ORDER BY id`)
	if err != nil {
		return err
	}
	type row struct {
		id                                       int64
		name, city, state, zip, district, status string
		lat, lon                                 sql.NullFloat64
	}
	var base []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name, &r.city, &r.state, &r.zip, &r.district, &r.lat, &r.lon, &r.status); err != nil {
			return err
		}
		base = append(base, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("groups", "id", "name", "city", "state", "zip", "district",
		"latitude", "longitude", "public_email", "status", "updated", "imported_at"))
	if err != nil {
		return err
	}
	for i := len(base); i < total; i++ {
		r := base[i%len(base)]
		k := float64(i/len(base)) * 0.001
		var lat, lon any
		if r.lat.Valid {
			lat, lon = r.lat.Float64+k, r.lon.Float64-k
		}
		id := int64(1_000_000 + i)
		if _, err := stmt.ExecContext(ctx, id, fmt.Sprintf("%s %d", r.name, i/len(base)), r.city, r.state, r.zip,
			r.district, lat, lon, fmt.Sprintf("g%d@example.org", id), r.status, "2026-01-01", "2026-01-01T00:00:00Z"); err != nil {
			return err
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return err
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `ANALYZE groups`)
	return err
}
