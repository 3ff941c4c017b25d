-- What arbitrage really pays on a venue: a taker fee that falls with the chain's 30-day volume there, and the fee
-- and time of withdrawing each asset over each network.

-- [{"minVolume": "1000000", "takerFeeBasisPoints": 10}]; empty: taker_fee_bps at every volume
ALTER TABLE exchanges ADD COLUMN taker_fee_tiers jsonb NOT NULL DEFAULT '[]'
    CHECK (jsonb_typeof(taker_fee_tiers) = 'array');
-- the chain's traded volume on the venue over the last 30 days, in the quote currency: picks the tier
ALTER TABLE exchanges ADD COLUMN volume_30d numeric(38, 18) CHECK (volume_30d >= 0);

CREATE TABLE exchange_withdrawals (
    exchange_id      text NOT NULL REFERENCES exchanges (exchange_id),
    asset            text NOT NULL,
    network          text NOT NULL,
    -- a flat fee, in the asset withdrawn
    fee              numeric(38, 18) NOT NULL CHECK (fee >= 0),
    -- until the asset can be sold on the receiving venue
    transfer_seconds integer NOT NULL CHECK (transfer_seconds >= 0),
    enabled          boolean NOT NULL DEFAULT true,
    PRIMARY KEY (exchange_id, asset, network)
);
