package dev.percept.model;

import dev.percept.image.Preprocessing;

/** One backbone of an embedding job, with the preprocessing and the features taken from it. */
public record Member(Backbone backbone, Preprocessing preprocessing, FeatureMode features) {
    /** The shape of this member's feature for one image. */
    public long[] featureShape() {
        if (features == FeatureMode.PATCH_TOKENS) {
            int p = backbone.config().patch();
            return new long[] {preprocessing.height() / p, preprocessing.width() / p, backbone.config().hidden()};
        }
        return new long[] {backbone.config().featureDim(features)};
    }
}
