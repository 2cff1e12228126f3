// Replaced by the QuickStart sample.
return 0;
