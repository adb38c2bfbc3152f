package io.duckbatch.core.load;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * How big objects are in the running JVM: a reference is 4 bytes with compressed oops
 * (the default under 32 GB of heap) and 8 without; an object header 12 bytes with
 * compressed class pointers and 16 without; every object takes a multiple of 8 bytes.
 * Compact object headers (JDK 24+) save 4 more bytes per object: estimates made with this
 * layout then stay a little above the truth, the safe side for rule 1.
 */
record JvmLayout(int referenceBytes, int headerBytes) {

    static final int ALIGNMENT = 8;

    /** The layout HotSpot reports; the larger one when it reports none (an estimate too high is the safe side). */
    static JvmLayout current() {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        boolean compressedOops = hotSpot != null && flag(hotSpot, "UseCompressedOops");
        boolean compressedClassPointers = hotSpot != null && flag(hotSpot, "UseCompressedClassPointers");
        return new JvmLayout(compressedOops ? 4 : 8, compressedClassPointers ? 12 : 16);
    }

    /** A flag this JVM does not know counts as off: the larger layout again. */
    private static boolean flag(HotSpotDiagnosticMXBean hotSpot, String name) {
        try {
            return Boolean.parseBoolean(hotSpot.getVMOption(name).getValue());
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    /** An object with {@code references} reference fields and {@code primitiveBytes} of other fields. */
    int object(int references, int primitiveBytes) {
        return align(this.headerBytes + references * this.referenceBytes + primitiveBytes);
    }

    /** Header and length of an array, before its first element (elements start 8-aligned). */
    int arrayHeader() {
        return align(this.headerBytes + 4);
    }

    static int align(int bytes) {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

}
