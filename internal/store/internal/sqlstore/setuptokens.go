package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

func (o *ops) ReplaceSetupToken(ctx context.Context, t store.SetupToken) error {
	if len(t.TokenHash) == 0 {
		return fmt.Errorf("store setup token: %w: token hash is empty", store.ErrInvalid)
	}
	if t.ExpiresAt.IsZero() {
		return fmt.Errorf("store setup token: %w: expiry is not set", store.ErrInvalid)
	}

	return o.write(ctx, func(o *ops) error {
		if _, err := o.exec(ctx, `DELETE FROM setup_tokens`); err != nil {
			return o.fail(err, "delete old setup tokens")
		}
		_, err := o.exec(ctx, `INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)`,
			t.TokenHash, o.d.tv(o.stamp()), o.d.tv(t.ExpiresAt))
		if err != nil {
			return o.fail(err, "store setup token")
		}
		return nil
	})
}

func (o *ops) GetSetupToken(ctx context.Context, now time.Time) (store.SetupToken, error) {
	var t store.SetupToken
	err := o.queryRow(ctx, `SELECT token_hash, created_at, expires_at FROM setup_tokens WHERE expires_at > ? ORDER BY created_at DESC LIMIT 1`,
		o.d.tv(now)).Scan(&t.TokenHash, scanTime(&t.CreatedAt), scanTime(&t.ExpiresAt))
	if err != nil {
		return store.SetupToken{}, o.fail(err, "get setup token")
	}
	return t, nil
}

func (o *ops) DeleteSetupToken(ctx context.Context, tokenHash []byte) error {
	res, err := o.exec(ctx, `DELETE FROM setup_tokens WHERE token_hash = ?`, tokenHash)
	return o.affected(res, err, "delete setup token")
}
