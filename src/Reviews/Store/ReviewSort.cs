namespace Reviews.Store;

public enum ReviewSort { Relevant, Newest, Helpful }
