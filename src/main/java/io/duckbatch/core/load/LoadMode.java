package io.duckbatch.core.load;

/** How {@link LoadDecider} decides: by measurement, or as configured. */
public enum LoadMode {

    /** Measure the dataset against the available heap. */
    AUTO,

    /** Always load once into memory. */
    MEMORY,

    /** Always read in chunks. */
    CHUNKED

}
