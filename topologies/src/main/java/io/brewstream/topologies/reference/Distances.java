package io.brewstream.topologies.reference;

import io.brewstream.schemas.common.GeoPoint;

/** Great-circle distance between two points: which shop is nearest to another, or to a customer. */
public final class Distances {
    private static final double EARTH_RADIUS_KM = 6371.0088;

    private Distances() {
    }

    public static double kilometres(GeoPoint a, GeoPoint b) {
        double lat1 = Math.toRadians(a.getLatitude());
        double lat2 = Math.toRadians(b.getLatitude());
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(b.getLongitude() - a.getLongitude());
        double h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
