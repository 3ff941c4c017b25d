-- The operational database of a coffee chain: what back-office applications edit and brewstream streams in.
-- Money is in minor units of the row's currency (cents); never floating point.

-- Every update raises a row's version, so consumers can tell a newer row from a replayed older one.
CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;

CREATE TABLE shops (
    shop_id        text PRIMARY KEY,
    name           text NOT NULL,
    city           text NOT NULL,
    address        text NOT NULL DEFAULT '',
    latitude       double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude      double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    currency       char(3) NOT NULL,
    timezone       text NOT NULL,
    wallet_address text CHECK (wallet_address ~ '^0x[0-9a-fA-F]{40}$'),
    open           boolean NOT NULL DEFAULT true,
    version        bigint NOT NULL DEFAULT 1
);

CREATE TABLE menu_items (
    menu_item_id     text PRIMARY KEY,
    name             text NOT NULL,
    category         text NOT NULL,
    currency         char(3) NOT NULL,
    base_price_minor bigint NOT NULL CHECK (base_price_minor > 0),
    min_price_minor  bigint NOT NULL CHECK (min_price_minor > 0),
    max_price_minor  bigint NOT NULL,
    -- sizes the item comes in (SMALL, MEDIUM, LARGE); empty: one size
    sizes            text[] NOT NULL DEFAULT '{}',
    options          text[] NOT NULL DEFAULT '{}',
    -- {"SMALL": -40, "LARGE": 60}: minor units added to the base price per size
    size_price_deltas jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(size_price_deltas) = 'object'),
    -- {"oat": 50}: minor units added per option
    option_prices    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(option_prices) = 'object'),
    available        boolean NOT NULL DEFAULT true,
    version          bigint NOT NULL DEFAULT 1,
    CHECK (min_price_minor <= base_price_minor AND base_price_minor <= max_price_minor),
    CHECK (sizes <@ ARRAY['SMALL', 'MEDIUM', 'LARGE']::text[])
);

-- What one medium serving of a menu item takes; other sizes scale by size_percent.
CREATE TABLE recipes (
    menu_item_id  text PRIMARY KEY REFERENCES menu_items (menu_item_id) ON DELETE CASCADE,
    -- [{"ingredientId": "espresso-beans", "quantity": 18, "unit": "GRAM"}]
    ingredients   jsonb NOT NULL CHECK (jsonb_typeof(ingredients) = 'array'),
    -- {"SMALL": 75, "MEDIUM": 100, "LARGE": 150}
    size_percent  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(size_percent) = 'object'),
    -- [{"option": "oat", "replacesIngredientId": "milk-dairy", "withIngredientId": "milk-oat"}]
    substitutions jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(substitutions) = 'array'),
    -- [{"option": "extra-shot", "adds": {"ingredientId": "espresso-beans", "quantity": 18, "unit": "GRAM"}}]
    extras        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(extras) = 'array'),
    version       bigint NOT NULL DEFAULT 1
);

CREATE TABLE customers (
    customer_id      text PRIMARY KEY,
    display_name     text NOT NULL,
    email            text,
    telegram_chat_id bigint,
    created_at       timestamptz NOT NULL DEFAULT now(),
    chargebacks      integer NOT NULL DEFAULT 0 CHECK (chargebacks >= 0),
    version          bigint NOT NULL DEFAULT 1
);

-- A delivery is written once with everything on its delivery note.
CREATE TABLE stock_deliveries (
    delivery_id  text PRIMARY KEY,
    shop_id      text NOT NULL REFERENCES shops (shop_id),
    -- [{"ingredientId": "milk-oat", "quantity": 10000, "unit": "MILLILITRE"}]
    items        jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array' AND jsonb_array_length(items) > 0),
    supplier     text,
    delivered_at timestamptz NOT NULL DEFAULT now()
);

-- Crypto exchanges the arbitrage topology compares, with their fees.
CREATE TABLE exchanges (
    exchange_id     text PRIMARY KEY,
    name            text NOT NULL,
    taker_fee_bps   integer NOT NULL CHECK (taker_fee_bps >= 0),
    -- what moving funds out costs, in the quote currency
    transfer_cost   numeric(38, 18) NOT NULL DEFAULT 0 CHECK (transfer_cost >= 0),
    enabled         boolean NOT NULL DEFAULT true
);

CREATE TRIGGER shops_version BEFORE UPDATE ON shops FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER menu_items_version BEFORE UPDATE ON menu_items FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER recipes_version BEFORE UPDATE ON recipes FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER customers_version BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION bump_version();
