package dev.percept.data;

/** The 2AFC agreement of a distance with human votes (DreamSim and LPIPS's definition). */
public final class TwoAfc {
    private TwoAfc() {}

    /**
     * Credit for one judgment given the distances ref-left ({@code d0}) and ref-right ({@code
     * d1}): the fraction of judges who agree with the model's choice, 0.5 for a tie.
     */
    public static double agreement(double d0, double d1, double rightVote) {
        if (d0 < d1) {
            return 1 - rightVote;
        }
        if (d1 < d0) {
            return rightVote;
        }
        return 0.5;
    }
}
